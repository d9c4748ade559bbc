// The main job, end to end: generate one image and save it.
// Against WaveSpeed when WAVESPEED_API_KEY is set; otherwise against the local emulator, started and
// stopped here. Usage: dotnet run --project samples/GptImage.Demo [-- "prompt" [output-folder]]
using GptImage;
using GptImage.Client;
using GptImage.Emulator;

var prompt = args.Length > 0 ? args[0] : "A T-Rex on a sun lounger, realistic photo";
var folder = Path.GetFullPath(args.Length > 1 ? args[1] : Path.Combine("out", "demo"));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

EmulatorServer? emulator = null;
var credential = ApiCredential.FromEnvironment(ClientOptions.WaveSpeedKeyVariable);
var options = new ClientOptions { Log = line => Console.WriteLine("  " + line) };
if (credential is null)
{
    emulator = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 1500 });
    options.BaseUri = emulator.BaseUri;
    options.Credential = new ApiCredential(emulator.Options.ApiKey);
    Console.WriteLine($"{ClientOptions.WaveSpeedKeyVariable} is not set: using the local emulator at {emulator.BaseUri}");
}
else
{
    options.Credential = credential;
    Console.WriteLine($"Using WaveSpeed at {options.BaseUri} with key {credential.Masked}");
}

try
{
    using var client = new WaveSpeedClient(options);
    var request = ImageRequest.Generate(prompt, quality: "low");
    var prediction = await client.SubmitAsync(request, cancel.Token);
    prediction = await client.WaitAsync(prediction, TimeSpan.FromMinutes(5), new SaveOptions { Directory = folder }, cancel.Token);
    if (prediction.Status != PredictionStatus.Completed)
    {
        throw WaveSpeedClient.FailureOf(prediction);
    }
    Console.WriteLine($"{prediction.Id} {prediction.Status} in {prediction.InferenceTime?.TotalSeconds:0.0} s");
    foreach (var file in prediction.Files)
    {
        Console.WriteLine($"Saved {file.FullName} ({file.Length:N0} bytes)");
    }
    return 0;
}
catch (GptImageException e)
{
    Console.Error.WriteLine($"{e.ErrorId}: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
finally
{
    if (emulator is not null) { await emulator.DisposeAsync(); }
}
