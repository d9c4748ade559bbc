using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GptImage.Benchmarks;

/// <summary>The emulator in its own process, so the benchmark measures only the client.</summary>
internal sealed partial class EmulatorProcess : IDisposable
{
    private readonly Process _process;
    private static readonly HttpClient Http = new();

    private EmulatorProcess(Process process, Uri baseUri, string key)
    {
        _process = process;
        BaseUri = baseUri;
        ApiKey = key;
    }

    public Uri BaseUri { get; }
    public string ApiKey { get; }

    public static EmulatorProcess Start(params string[] options)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "GptImage.Emulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--urls", "http://127.0.0.1:0" }.Concat(options)) { start.ArgumentList.Add(a); }
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine() ?? "";
        var match = Listening().Match(line);
        if (!match.Success) { process.Kill(); throw new InvalidOperationException("The emulator did not start: " + line); }
        return new EmulatorProcess(process, new Uri(match.Groups[1].Value), match.Groups[2].Value);
    }

    public async Task<JsonObject> StatsAsync() => (await Http.GetFromJsonAsync<JsonObject>(new Uri(BaseUri, "_emulator/stats")))!;

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+) \(API key: ([^)]+)\)")]
    private static partial Regex Listening();
}
