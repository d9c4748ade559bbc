using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>
/// The emulator (a .NET 10 program) as a process of its own for one test's harness, with the members the tests read
/// of the in-process one (tests/GptImage.Emulator/EmulatorServer.cs), read over its /_emulator endpoints. Started as
/// the Pester suite starts it: on a port the OS picks, ready when it prints the address it listens on.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private static readonly string Program = typeof(EmulatorServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "EmulatorPath").Value!;

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // Killed when the test run ends, whatever a test left behind.
    private static readonly ConcurrentDictionary<Process, bool> Running = new();

    private readonly Process _process;
    private readonly HttpClient _http;

    static EmulatorServer() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys) { Stop(process); }
    };

    private EmulatorServer(Process process, Uri baseUri, EmulatorOptions options)
    {
        _process = process;
        BaseUri = baseUri;
        Options = options;
        _http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The emulator's root, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseUri { get; }

    public EmulatorOptions Options { get; }

    /// <summary>What has been served so far.</summary>
    public EmulatorStats Stats => JsonSerializer.Deserialize<EmulatorStats>(Get("_emulator/stats")!, Web)!;

    /// <summary>The last submit as it arrived, or null before the first.</summary>
    public JsonObject? LastSubmit => Get("_emulator/last-submit") is { } text ? JsonNode.Parse(text)!.AsObject() : null;

    /// <summary>The form or JSON fields of every answered Images API request, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> ImagesRequests =>
        JsonSerializer.Deserialize<Dictionary<string, string?>[]>(Get("_emulator/images-requests")!, Web)!;

    /// <summary>Starts the emulator with <paramref name="options"/> (each one that differs from its default goes on the command line).</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        var arguments = new[] { Program, "--urls", "http://127.0.0.1:0" }.Concat(Arguments(options, new EmulatorOptions(), "Emulator:"));
        var start = new ProcessStartInfo("dotnet", string.Join(" ", arguments.Select(Quote)))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        var firstLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => firstLine.TrySetResult(e.Data ?? "(the emulator closed its output)");
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.Start();
        Running[process] = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // "GptImage emulator listening on http://127.0.0.1:<port>/ (API key: <key>). Ctrl+C to stop."
        var ready = await Task.WhenAny(firstLine.Task, Task.Delay(StartDeadline)).ConfigureAwait(false);
        var line = ready == firstLine.Task ? firstLine.Task.Result : "(nothing within " + StartDeadline.TotalSeconds + " s)";
        var match = System.Text.RegularExpressions.Regex.Match(line, @"listening on (?<uri>\S+) ");
        if (!match.Success)
        {
            Stop(process);
            lock (errors) { throw new InvalidOperationException($"The emulator did not start: {line} {errors}"); }
        }
        return new EmulatorServer(process, new Uri(match.Groups["uri"].Value), options);
    }

    /// <summary>The command-line options (<c>--Emulator:Name value</c>, nested for faults) that differ from <paramref name="defaults"/>.</summary>
    internal static IEnumerable<string> Arguments(object options, object defaults, string prefix)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) { continue; }
            var value = property.GetValue(options);
            var initial = property.GetValue(defaults);
            if (value is IDictionary<string, string> map)
            {
                // A map (the Azure deployments): each entry that is not the default's, as configuration binds it.
                var before = (IDictionary<string, string>)initial!;
                foreach (var entry in map.Where(e => !before.TryGetValue(e.Key, out var was) || was != e.Value))
                {
                    yield return "--" + prefix + property.Name + ":" + entry.Key;
                    yield return entry.Value;
                }
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                foreach (var nested in Arguments(value!, initial!, prefix + property.Name + ":")) { yield return nested; }
            }
            else if (!Equals(value, initial))
            {
                yield return "--" + prefix + property.Name;
                yield return Convert.ToString(value, CultureInfo.InvariantCulture)!;
            }
        }
    }

    private static string Quote(string argument) => "\"" + argument.Replace("\"", "\\\"") + "\"";

    private string? Get(string path) => Task.Run(async () =>
    {
        using var response = await _http.GetAsync(path).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
    }).GetAwaiter().GetResult();

    private static void Stop(Process process)
    {
        if (!Running.TryRemove(process, out _)) { return; }
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
        process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        Stop(_process);
        return default;
    }
}
