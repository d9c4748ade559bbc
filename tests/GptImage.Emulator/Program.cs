using GptImage.Emulator;

// Stand-alone use: dotnet run --project tests/GptImage.Emulator -- --urls http://127.0.0.1:5199
// Options bind from the "Emulator" configuration section, e.g. --Emulator:InferenceLatencyMs 2000.
var options = EmulatorOptions.FromArgs(args);
await using var server = await EmulatorServer.StartAsync(options, args).ConfigureAwait(false);
Console.WriteLine($"GptImage emulator listening on {server.BaseUri} (API key: {options.ApiKey}). Ctrl+C to stop.");
await server.WaitForShutdownAsync().ConfigureAwait(false);
