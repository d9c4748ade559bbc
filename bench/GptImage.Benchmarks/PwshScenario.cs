using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GptImage.Benchmarks;

/// <summary>
/// Scenario 6: what users feel. The real pipeline (<c>… | New-GptImage -Quality low | Wait-GptImagePrediction
/// -OutputDirectory d</c>) in a fresh <c>dotnet pwsh</c> per run, timed inside pwsh after Import-Module, against the
/// emulator in its own process; beside it, in the same run and at the same concurrency, a plain HttpClient that
/// does what the official SDK does (a task per item, a result query every second, download, atomic write).
/// Learnt timings live in a folder of the run's own (XDG_DATA_HOME), so each figure says what it was learnt from.
/// </summary>
internal static class PwshScenario
{
    private const int Runs = 3;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private sealed record Session(double Import, double Wall, int Completed, int Files, long FileBytes, long CreatedAt, long SavedAt, long WorkingSetDelta, long PeakDelta,
        double FirstSubmitMs = 0, double LastSubmitMs = 0, double Again = 0, double Script = 0);

    public static async Task RunAsync()
    {
        var root = RepositoryRoot();
        var module = Directory.GetFiles(Path.Combine(root, "out", "GptImage"), "GptImage.psd1", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new InvalidOperationException("The module is not built: run ./build.ps1 first.");
        var imports = new List<double>();
        Print("6. Through the cmdlets in dotnet pwsh (fresh session per run, medians of " + Runs + "), beside a plain HttpClient doing what the official SDK does (1 s poll):");

        // Batches of 10 and 100 at 2 s. The store starts empty: the first session is blind, the later ones learn.
        using (var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "2000"))
        {
            var store = Scenarios.Folder("store");
            var results = new Dictionary<int, (double Ratio, double Queries, double PlainRatio, double PlainQueries)>();
            var blind = await MeasureBatchAsync(root, module, emulator, store, 10);
            imports.Add(blind.Session.Import);
            Print($"   first session ever (no learnt timings), 10 tasks: wall / latency {blind.Session.Wall / 2:0.000}, result queries per task {blind.Queries:0.0}");
            foreach (var count in new[] { 10, 100 })
            {
                var ratios = new List<double>();
                var queries = new List<double>();
                var plainRatios = new List<double>();
                var plainQueries = new List<double>();
                for (var run = 0; run < Runs; run++)
                {
                    var (session, q) = await MeasureBatchAsync(root, module, emulator, store, count);
                    imports.Add(session.Import);
                    ratios.Add(session.Wall / 2);
                    queries.Add(q);
                    var (plainWall, plainQ) = await PlainBatchAsync(emulator, count);
                    plainRatios.Add(plainWall / 2);
                    plainQueries.Add(plainQ);
                }
                results[count] = (Median(ratios), Median(queries), Median(plainRatios), Median(plainQueries));
                Print($"   {count,3} tasks at 2 s: wall / latency {Median(ratios):0.000} (runs {string.Join(", ", ratios.Select(r => r.ToString("0.000", Invariant)))}; target <= 1.05: {Verdict(Median(ratios) <= 1.05)}); " +
                      $"result queries per task {Median(queries):0.00} (target <= 2.0: {Verdict(Median(queries) <= 2.0)}); " +
                      $"plain SDK-style {Median(plainRatios):0.000}, {Median(plainQueries):0.00} queries per task");
            }
        }

        // A lone first task at 2.5 s: a fresh session whose store holds what an earlier session learnt of the kind.
        using (var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "2500"))
        {
            var store = Scenarios.Folder("store");
            var blind = await RunSessionAsync(root, module, emulator, store, "Lone", 1);
            imports.Add(blind.Import);
            var lags = new List<double>();
            var plainLags = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var session = await RunSessionAsync(root, module, emulator, store, "Lone", 1);
                imports.Add(session.Import);
                lags.Add(Lag(session, 2.5));
                plainLags.Add(await PlainLoneLagAsync(emulator, 2.5));
            }
            Print($"   lone first task at 2.5 s, completion lag incl. download: {Median(lags):0.000} s (runs {string.Join(", ", lags.Select(r => r.ToString("0.000", Invariant)))}; " +
                  $"target <= 0.15: {Verdict(Median(lags) <= 0.15)}), learnt from one earlier session; first session ever {Lag(blind, 2.5):0.000} s; plain SDK-style {Median(plainLags):0.000} s");
        }

        // Memory above import to save one 1536x1024 image (a 4.7 MB PNG of noise).
        using (var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "300", "--Emulator:ImageContent", "Noise"))
        {
            var deltas = new List<double>();
            var peaks = new List<double>();
            long bytes = 0;
            for (var run = 0; run < Runs; run++)
            {
                var session = await RunSessionAsync(root, module, emulator, Scenarios.Folder("store"), "Memory", 1);
                imports.Add(session.Import);
                deltas.Add(session.WorkingSetDelta / 1048576.0);
                peaks.Add(session.PeakDelta / 1048576.0);
                bytes = session.FileBytes;
            }
            Print($"   memory above import to save one 1536x1024 image ({bytes / 1e6:0.0} MB): working set {Median(deltas):+0.0;-0.0} MiB " +
                  $"(runs {string.Join(", ", deltas.Select(r => r.ToString("+0.0;-0.0", Invariant)))}; target <= +16: {Verdict(Median(deltas) <= 16)}); peak working set rose {Median(peaks):0.0} MiB");
        }
        Print($"   Import-Module: {Median(imports):0.000} s (median of {imports.Count} sessions, max {imports.Max():0.000}; target <= 0.15: {Verdict(Median(imports) <= 0.15)})");
    }

    /// <summary>
    /// The first batch of a fresh session and Import-Module alone, for one or more builds of the module, their sessions
    /// interleaved (A B A B …, then B A B A … at the next latency) so that the load of a shared machine falls on each alike.
    /// Usage: <c>first [--latency 2000,20000] [--tasks 10] [--runs 3] [--imports 10] [--module path/GptImage.psd1 …]</c>;
    /// without --module, this tree's build. Each latency's store is primed by one unmeasured session per build, so every
    /// measured session is the first of its process with timings learnt by an earlier one. Each measured session then runs
    /// the same batch again (the warm figure of that session). The 1-minute load average is printed with every figure.
    /// </summary>
    public static async Task FirstBatchAsync(string[] args)
    {
        var root = RepositoryRoot();
        string Option(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        var latencies = Option("--latency", "2000,20000").Split(',').Select(v => int.Parse(v, Invariant)).ToArray();
        var tasks = int.Parse(Option("--tasks", "10"), Invariant);
        var runs = int.Parse(Option("--runs", "3"), Invariant);
        var importRuns = int.Parse(Option("--imports", "10"), Invariant);
        var modules = args.Select((a, i) => (a, i)).Where(p => p.a == "--module" && p.i + 1 < args.Length).Select(p => Path.GetFullPath(args[p.i + 1])).ToList();
        if (modules.Count == 0)
        {
            modules.Add(Directory.GetFiles(Path.Combine(root, "out", "GptImage"), "GptImage.psd1", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                ?? throw new InvalidOperationException("The module is not built: run ./build.ps1 first."));
        }
        Print($"First batch of a fresh session: {tasks} tasks, {runs} runs per build and latency, interleaved; modules: {string.Join("; ", modules.Select((m, i) => $"[{i}] {m}"))}");
        var order = Enumerable.Range(0, modules.Count).ToArray();
        using (var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "0"))
        {
            var imports = order.ToDictionary(i => i, _ => new List<double>());
            var loads = new List<string>();
            for (var run = 0; run < importRuns; run++)
            {
                foreach (var m in run % 2 == 0 ? order : order.Reverse())
                {
                    loads.Add(Load());
                    imports[m].Add((await RunSessionAsync(root, modules[m], emulator, Scenarios.Folder("store"), "Import", 1)).Import);
                }
            }
            foreach (var m in order)
            {
                Print($"   [{m}] Import-Module: median {Median(imports[m]):0.000} s of {importRuns} sessions (min {imports[m].Min():0.000}, max {imports[m].Max():0.000}; " +
                      $"runs {string.Join(", ", imports[m].Select(r => r.ToString("0.000", Invariant)))}); load {loads[0]} .. {loads[^1]}");
            }
        }
        var flip = false;
        foreach (var latencyMs in latencies)
        {
            var latency = latencyMs / 1000.0;
            using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", latencyMs.ToString(Invariant));
            var stores = order.ToDictionary(i => i, _ => Scenarios.Folder("store"));
            foreach (var m in order) { await RunSessionAsync(root, modules[m], emulator, stores[m], "First", tasks); }
            var measured = order.ToDictionary(i => i, _ => new List<(Session Session, string Load)>());
            for (var run = 0; run < runs; run++)
            {
                foreach (var m in flip ^ (run % 2 == 1) ? order.Reverse() : order)
                {
                    var load = Load();
                    var session = await RunSessionAsync(root, modules[m], emulator, stores[m], "First", tasks);
                    if (session.Files != tasks) { throw new InvalidOperationException($"The session saved {session.Files} files of {tasks}."); }
                    measured[m].Add((session, load));
                    Print($"   [{m}] {latency:0.#} s run {run + 1}: wall / latency {session.Wall / latency:0.000}, first submit +{session.FirstSubmitMs:0} ms, last +{session.LastSubmitMs:0} ms, " +
                          $"again in the same session {session.Again / latency:0.000}, import to end of batch {session.Script:0.000} s, import {session.Import:0.000} s; load {load}");
                }
            }
            flip = !flip;
            foreach (var m in order)
            {
                var s = measured[m].Select(x => x.Session).ToList();
                Print($"   [{m}] {tasks} tasks at {latency:0.#} s, first batch: wall / latency {Median(s.Select(x => x.Wall / latency)):0.000} " +
                      $"(runs {string.Join(", ", s.Select(x => (x.Wall / latency).ToString("0.000", Invariant)))}); " +
                      $"first submit +{Median(s.Select(x => x.FirstSubmitMs)):0} ms (runs {string.Join(", ", s.Select(x => x.FirstSubmitMs.ToString("0", Invariant)))}); " +
                      $"last submit +{Median(s.Select(x => x.LastSubmitMs)):0} ms; again {Median(s.Select(x => x.Again / latency)):0.000}; " +
                      $"import to end {Median(s.Select(x => x.Script)):0.000} s; load {string.Join(", ", measured[m].Select(x => x.Load))}");
            }
        }
    }

    /// <summary>The 1-minute load average (Linux), or "n/a".</summary>
    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static void Print(string line) => Scenarios.Print(line);

    private static string Verdict(bool ok) => ok ? "meets target" : "MISSES target";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>From the task's end on the service (created_at plus its latency) to the file saved and the cmdlet returned.</summary>
    private static double Lag(Session session, double latency) => ((session.SavedAt - session.CreatedAt) / 1000.0) - latency;

    private static async Task<(Session Session, double Queries)> MeasureBatchAsync(string root, string module, EmulatorProcess emulator, string store, int count)
    {
        var before = (await emulator.StatsAsync())["resultQueries"]!.GetValue<long>();
        var session = await RunSessionAsync(root, module, emulator, store, "Batch", count);
        var after = (await emulator.StatsAsync())["resultQueries"]!.GetValue<long>();
        if (session.Files != count) { throw new InvalidOperationException($"The session saved {session.Files} files of {count}."); }
        return (session, (after - before) / (double)count);
    }

    private static async Task<Session> RunSessionAsync(string root, string module, EmulatorProcess emulator, string store, string mode, int count)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pwsh", "Session.ps1");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Module", module, "-BaseUri", emulator.BaseUri.ToString(),
            "-ApiKey", emulator.ApiKey, "-Mode", mode, "-OutputDirectory", Scenarios.Folder("pwsh-" + mode.ToLowerInvariant()), "-Count", count.ToString(Invariant) })
        {
            start.ArgumentList.Add(a);
        }
        // Where .NET puts LocalApplicationData on Linux and macOS: the learnt timings of this run only.
        start.Environment["XDG_DATA_HOME"] = store;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0 || !lines[^1].StartsWith('{'))
        {
            throw new InvalidOperationException($"The pwsh session failed ({process.ExitCode}): {await stderr} {string.Join(" ", lines)}");
        }
        var json = JsonNode.Parse(lines[^1])!;
        static double N(JsonNode? n) => n is null ? 0 : n.GetValue<double>();
        return new Session(N(json["ImportSeconds"]), N(json["WallSeconds"]), (int)N(json["Completed"]), (int)N(json["Files"]), (long)N(json["FileBytes"]),
            (long)N(json["CreatedAt"]), (long)N(json["SavedAt"]), (long)N(json["WorkingSetDelta"]), (long)N(json["PeakDelta"]),
            N(json["FirstSubmitMs"]), N(json["LastSubmitMs"]), N(json["AgainSeconds"]), N(json["ScriptSeconds"]));
    }

    /// <summary>The SDK's way at the same concurrency: every task at once, each submitted, queried every second, downloaded and written atomically.</summary>
    private static async Task<(double Wall, double Queries)> PlainBatchAsync(EmulatorProcess emulator, int count)
    {
        using var http = Scenarios.Plain(emulator);
        var folder = Scenarios.Folder("plain-batch");
        (await http.GetAsync("api/v3/balance")).Dispose(); // a connection is open, as the SDK's would be after its first call
        var before = (await emulator.StatsAsync())["resultQueries"]!.GetValue<long>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => PlainPolledTaskAsync(http, $"image {i}", folder)));
        var wall = watch.Elapsed.TotalSeconds;
        var after = (await emulator.StatsAsync())["resultQueries"]!.GetValue<long>();
        return (wall, (after - before) / (double)count);
    }

    private static async Task<double> PlainLoneLagAsync(EmulatorProcess emulator, double latency)
    {
        using var http = Scenarios.Plain(emulator);
        var folder = Scenarios.Folder("plain-lone");
        var createdAt = await PlainPolledTaskAsync(http, "a lone task", folder);
        return (DateTimeOffset.UtcNow - createdAt).TotalSeconds - latency;
    }

    private static async Task<DateTimeOffset> PlainPolledTaskAsync(HttpClient http, string prompt, string folder)
    {
        using var submit = await http.PostAsync("api/v3/openai/gpt-image-1/text-to-image",
            new StringContent($$"""{"prompt":"{{prompt}}","quality":"low"}""", Encoding.UTF8, "application/json"));
        var created = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!["data"]!;
        var id = created["id"]!.GetValue<string>();
        JsonNode data;
        do
        {
            await Task.Delay(1000);
            data = JsonNode.Parse(await http.GetStringAsync($"api/v3/predictions/{id}/result"))!["data"]!;
        }
        while (data["status"]!.GetValue<string>() is "created" or "processing");
        using var body = await http.GetStreamAsync(data["outputs"]![0]!.GetValue<string>());
        await Scenarios.WriteAtomicallyAsync(body, Path.Combine(folder, id + ".png"));
        return DateTimeOffset.Parse(created["created_at"]!.GetValue<string>(), Invariant);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GptImage.sln"))) { return dir.FullName; }
        }
        throw new InvalidOperationException("The repository root (GptImage.sln) was not found above " + AppContext.BaseDirectory);
    }
}
