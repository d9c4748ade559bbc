using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Operations;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Benchmarks;

/// <summary>The engine-level scenarios of the benchmark issue (the cmdlet-level one is <see cref="PwshScenario"/>); each prints its figures and its ratio against the target.</summary>
internal static class Scenarios
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static readonly List<string> Report = new();

    internal static void Print(string line)
    {
        Console.WriteLine(line);
        Report.Add(line);
    }

    private static string Verdict(bool ok) => ok ? "meets target" : "MISSES target";

    private static ConnectionOptions Options(EmulatorProcess emulator, int maxInFlight = 0) => new()
    {
        BaseUri = emulator.BaseUri,
        Credential = new ApiCredential(emulator.ApiKey),
        MaxTasksInFlight = maxInFlight,
    };

    internal static HttpClient Plain(EmulatorProcess emulator)
    {
        var http = new HttpClient { BaseAddress = emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
        return http;
    }

    internal static string Folder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "gptimage-bench", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A plain HttpClient doing one task's three requests (submit, one result query, download) at once for a batch.</summary>
    private static async Task<TimeSpan> PlainTransfersAsync(int tasks)
    {
        using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "0", "--Emulator:MaxConcurrentTasks", "0");
        using var http = Plain(emulator);
        var folder = Folder("plain");
        await PlainTaskAsync(http, "warm up", folder);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(i => PlainTaskAsync(http, $"image {i}", folder)));
        return watch.Elapsed;
    }

    /// <summary>One task's three requests by a plain HttpClient (submit, one result query, download), its image written as the client writes one.</summary>
    internal static async Task PlainTaskAsync(HttpClient http, string prompt, string folder)
    {
        using var submit = await http.PostAsync("api/v3/openai/gpt-image-1/text-to-image",
            new StringContent($$"""{"prompt":"{{prompt}}","quality":"low"}""", Encoding.UTF8, "application/json"));
        var id = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!["data"]!["id"]!.GetValue<string>();
        var result = JsonNode.Parse(await http.GetStringAsync($"api/v3/predictions/{id}/result"))!["data"]!;
        using var body = await http.GetStreamAsync(result["outputs"]![0]!.GetValue<string>());
        await WriteAtomicallyAsync(body, Path.Combine(folder, id + ".png"));
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The same work the client does for a download, done plainly: a temporary file beside the target, the
    /// image's signature verified, then a rename that never replaces an existing file.
    /// </summary>
    internal static async Task WriteAtomicallyAsync(Stream body, string path)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            var head = new byte[PngSignature.Length];
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read, total = 0;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    if (total < head.Length) { Array.Copy(buffer, 0, head, total, Math.Min(read, head.Length - total)); }
                    total += read;
                    await file.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            if (!head.AsSpan().SequenceEqual(PngSignature)) { throw new InvalidDataException("The download is not a PNG."); }
            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(temp)) { File.Delete(temp); }
        }
    }

    /// <summary>Waits (and saves) as the cmdlets do, within one deadline (-TimeoutSec).</summary>
    private static async Task<Prediction> WaitAsync(IImageApiClient client, Prediction prediction, TimeSpan timeout, SaveOptions? save)
    {
        using var deadline = new CancellationTokenSource(timeout);
        return await PredictionOperation.WaitAndSaveAsync(client, prediction, save, deadline.Token);
    }

    /// <summary>Scenario 1: 100 tasks, 2 s latency, cap 300: wall time over one latency plus the transfers; and a naive sequential script.</summary>
    public static async Task BatchAsync()
    {
        const int tasks = 100;
        var latency = TimeSpan.FromSeconds(2);
        var transfers = await PlainTransfersAsync(tasks);
        using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "2000", "--Emulator:MaxConcurrentTasks", "300");
        using var connection = new GptImageConnection(Options(emulator, 300));
        var folder = Folder("batch");
        var client = connection.CreateClient();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(async i =>
        {
            var p = await client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate($"image {i}"), CancellationToken.None);
            await WaitAsync(client, p, TimeSpan.FromMinutes(2), new SaveOptions { Directory = folder });
        }));
        var wall = watch.Elapsed;
        var files = Directory.GetFiles(folder, "*.png").Length;
        var ideal = latency + transfers;
        var ratio = wall.TotalSeconds / ideal.TotalSeconds;
        var stats = await emulator.StatsAsync();

        // The naive script: submit, poll every second, download, next. 10 tasks measured, scaled to 100.
        using var naiveEmulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "2000");
        using var http = Plain(naiveEmulator);
        var naiveWatch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            using var submit = await http.PostAsync("api/v3/openai/gpt-image-1/text-to-image",
                new StringContent($$"""{"prompt":"naive {{i}}"}""", Encoding.UTF8, "application/json"));
            var id = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!["data"]!["id"]!.GetValue<string>();
            JsonNode data;
            do
            {
                await Task.Delay(1000);
                data = JsonNode.Parse(await http.GetStringAsync($"api/v3/predictions/{id}/result"))!["data"]!;
            }
            while (data["status"]!.GetValue<string>() != "completed");
            await File.WriteAllBytesAsync(Path.Combine(folder, $"naive-{i}.png"), await http.GetByteArrayAsync(data["outputs"]![0]!.GetValue<string>()));
        }
        var naive = naiveWatch.Elapsed * 10;
        Print($"1. Batch wall time: {tasks} tasks, latency 2 s, cap 300: {wall.TotalSeconds:0.00} s; ideal {ideal.TotalSeconds:0.00} s " +
              $"(latency + {transfers.TotalSeconds:0.00} s for a plain HttpClient to submit, query and download the {tasks} to disk at zero latency); ratio {ratio:0.000} (target <= 1.15: {Verdict(ratio <= 1.15)}); " +
              $"files {files}, submits {stats["submits"]}, result queries {stats["resultQueries"]}.");
        Print($"   Naive sequential script (submit, 1 s poll, download; 10 measured, x10): {naive.TotalSeconds:0.0} s, {naive.TotalSeconds / wall.TotalSeconds:0.0}x slower.");
    }

    /// <summary>Scenario 2: the same 100 tasks under a 2-task concurrency cap: within 1.1x of the cap's ideal and no 429.</summary>
    public static async Task RateLimitedAsync()
    {
        const int tasks = 100, cap = 2;
        using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "2000", "--Emulator:MaxConcurrentTasks", cap.ToString(Invariant));
        using var connection = new GptImageConnection(Options(emulator, cap));
        var client = connection.CreateClient();
        var folder = Folder("ratelimited");
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(async i =>
        {
            var p = await client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate($"image {i}"), CancellationToken.None);
            await WaitAsync(client, p, TimeSpan.FromMinutes(5), new SaveOptions { Directory = folder });
        }));
        var wall = watch.Elapsed;
        var ideal = TimeSpan.FromSeconds(2) * (tasks / cap);
        var stats = await emulator.StatsAsync();
        var limited = stats["rateLimited"]!.GetValue<long>();
        var ratio = wall.TotalSeconds / ideal.TotalSeconds;
        Print($"2. Rate-limited batch: {tasks} tasks, cap {cap}: {wall.TotalSeconds:0.0} s; ideal {ideal.TotalSeconds:0.0} s ({tasks / cap} rounds of 2 s); " +
              $"ratio {ratio:0.000} (target <= 1.10: {Verdict(ratio <= 1.10 && limited == 0)}); 429s drawn {limited}; most tasks in flight {stats["maxTasksInFlight"]}.");
    }

    /// <summary>Scenario 3: submit + one result query + download, the client against a plain HttpClient, zero latency, 1000 tasks.</summary>
    public static async Task OverheadAsync()
    {
        const int tasks = 1000;
        using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "0");
        using var connection = new GptImageConnection(Options(emulator));
        var client = connection.CreateClient();
        using var http = Plain(emulator);
        var folder = Folder("overhead");
        // Both write one new file per task atomically (temporary file, signature verified, rename), named from the id.
        var save = new SaveOptions { Directory = folder };

        async Task ClientTask(int i)
        {
            var p = await client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate($"o{i}"), CancellationToken.None);
            p = await client.GetAsync(p.Id, CancellationToken.None);
            await client.SaveAsync(p, save, CancellationToken.None);
        }
        Task PlainTask(int i) => PlainTaskAsync(http, $"p{i}", folder);

        for (var i = 0; i < 50; i++) { await ClientTask(i); await PlainTask(i); } // warm up both paths
        // One task of each in turn, so drift on the machine touches both alike; medians resist its spikes.
        var clientTimes = new double[tasks];
        var plainTimes = new double[tasks];
        long clientBytes = 0, plainBytes = 0;
        for (var i = 0; i < tasks; i++)
        {
            var before = GC.GetTotalAllocatedBytes(true);
            var start = Stopwatch.GetTimestamp();
            await ClientTask(i);
            clientTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            clientBytes += GC.GetTotalAllocatedBytes(true) - before;

            before = GC.GetTotalAllocatedBytes(true);
            start = Stopwatch.GetTimestamp();
            await PlainTask(i);
            plainTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            plainBytes += GC.GetTotalAllocatedBytes(true) - before;
        }
        var clientMedian = Median(clientTimes);
        var plainMedian = Median(plainTimes);
        var ratio = clientMedian / plainMedian;
        Print($"3. Overhead per task ({tasks} tasks each, zero latency, alternating): median client {clientMedian:0.000} ms, " +
              $"plain HttpClient {plainMedian:0.000} ms; ratio {ratio:0.000} (target <= 1.05: {Verdict(ratio <= 1.05)}); " +
              $"means {clientTimes.Average():0.000} and {plainTimes.Average():0.000} ms; allocated per task: client {clientBytes / tasks / 1024.0:0.0} KB, plain {plainBytes / tasks / 1024.0:0.0} KB.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Scenario 4: completion lag and result queries per task, latency 0.5–30 s, against a fixed 1 s poll and sync mode.</summary>
    public static async Task LagAsync()
    {
        // Not whole seconds: a fixed 1 s poll would otherwise look exactly when the tasks end.
        double[] latencies = [0.5, 1.3, 2.7, 5.4, 10.6, 20.2, 29.5];
        const int perLatency = 3;
        using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "1000");
        var queries = new Dictionary<string, int>();
        void Count(string line)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"/predictions/([0-9a-f]+)/result -> ");
            if (m.Success) { lock (queries) { queries[m.Groups[1].Value] = queries.GetValueOrDefault(m.Groups[1].Value) + 1; } }
        }

        async Task<(double Latency, double Lag, int Queries)> ClientRun(GptImageConnection connection, double latency, int index, bool sync)
        {
            await Task.Delay(index * 150);
            var client = connection.CreateClient(log: Count);
            var prompt = $"lag {latency} {index} [emulator:latency={(int)(latency * 1000)}]";
            var start = Stopwatch.GetTimestamp();
            var p = await client.SubmitAsync(new ImageTemplate { SyncMode = sync }.Generate(prompt), CancellationToken.None);
            p = await WaitAsync(client, p, TimeSpan.FromMinutes(2), null);
            var lag = Stopwatch.GetElapsedTime(start).TotalSeconds - latency;
            lock (queries) { return (latency, lag, queries.GetValueOrDefault(p.Id)); }
        }

        async Task<(double Latency, double Lag, int Queries)> FixedPoll(HttpClient http, double latency, int index)
        {
            await Task.Delay(index * 150);
            var start = Stopwatch.GetTimestamp();
            using var submit = await http.PostAsync("api/v3/openai/gpt-image-1/text-to-image",
                new StringContent($$$"""{"prompt":"fixed [emulator:latency={{{(int)(latency * 1000)}}}]"}""", Encoding.UTF8, "application/json"));
            var id = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!["data"]!["id"]!.GetValue<string>();
            var count = 0;
            while (true)
            {
                await Task.Delay(1000);
                count++;
                var data = JsonNode.Parse(await http.GetStringAsync($"api/v3/predictions/{id}/result"))!["data"]!;
                if (data["status"]!.GetValue<string>() == "completed") { break; }
            }
            return (latency, Stopwatch.GetElapsedTime(start).TotalSeconds - latency, count);
        }

        using var http = Plain(emulator);
        // Cold: a fresh connection per task, 3 tasks 150 ms apart per latency (the schedule alone).
        // Warm: per latency, one connection that has seen one task of the model end, then 3 tasks 150 ms apart.
        var cold = latencies.SelectMany(l => Enumerable.Range(0, perLatency).Select(i => ClientRun(new GptImageConnection(Options(emulator)), l, i, false)));
        var warm = latencies.Select(async l =>
        {
            var connection = new GptImageConnection(Options(emulator));
            await ClientRun(connection, l, 0, false);
            return await Task.WhenAll(Enumerable.Range(0, perLatency).Select(i => ClientRun(connection, l, i, false)));
        });
        var sync = latencies.SelectMany(l => Enumerable.Range(0, perLatency).Select(i => ClientRun(new GptImageConnection(Options(emulator)), l, i, true)));
        var fixedRuns = latencies.SelectMany(l => Enumerable.Range(0, perLatency).Select(i => FixedPoll(http, l, i)));
        var coldTask = Task.WhenAll(cold);
        var warmTask = Task.WhenAll(warm).ContinueWith(t => t.Result.SelectMany(r => r).ToArray(), TaskScheduler.Default);
        var syncTask = Task.WhenAll(sync);
        var fixedTask = Task.WhenAll(fixedRuns);
        await Task.WhenAll(coldTask, warmTask, syncTask, fixedTask);

        Print("4. Completion lag (median, s) and result queries per task, by latency (3 tasks each):");
        Print("   latency | target lag | cold lag    q | warm lag    q | sync lag    q | fixed-1s lag    q");
        var allMet = true;
        var totals = new Dictionary<string, double>();
        foreach (var l in latencies)
        {
            var target = Math.Max(0.1 * l, 0.3);
            string Cell(string name, (double Latency, double Lag, int Queries)[] runs)
            {
                var of = runs.Where(r => r.Latency == l).ToArray();
                var lag = Median(of.Select(r => r.Lag));
                var q = of.Average(r => r.Queries);
                totals[name] = totals.GetValueOrDefault(name) + of.Sum(r => r.Queries);
                return $"{lag,6:0.000} {q,4:0.0}";
            }
            var coldLag = Median(coldTask.Result.Where(r => r.Latency == l).Select(r => r.Lag));
            var warmLag = Median(warmTask.Result.Where(r => r.Latency == l).Select(r => r.Lag));
            allMet &= coldLag <= target && warmLag <= target;
            Print($"   {l,7:0.0} | {target,10:0.00} | {Cell("cold", coldTask.Result),13} | {Cell("warm", warmTask.Result),13} | {Cell("sync", syncTask.Result),13} | {Cell("fixed", fixedTask.Result),17}");
        }
        var queriesMet = totals["warm"] <= totals["fixed"];
        var coldQueriesMet = totals["cold"] <= totals["fixed"];
        Print($"   Result queries in all: cold {totals["cold"]}, warm {totals["warm"]}, sync {totals["sync"]}, fixed 1 s poll {totals["fixed"]}. " +
              $"Lag within target at every latency, cold and warm: {Verdict(allMet)}; no more queries than the fixed poll: " +
              $"cold {Verdict(coldQueriesMet)}, warm {Verdict(queriesMet)}.");
    }

    /// <summary>Scenario 5: four 1536x1024 base64 outputs (several MB each) decoded to files: allocation against bytes written.</summary>
    public static async Task MemoryAsync()
    {
        using var emulator = EmulatorProcess.Start("--Emulator:InferenceLatencyMs", "300", "--Emulator:ImageContent", "Noise");
        using var connection = new GptImageConnection(Options(emulator));
        var client = connection.CreateClient();
        var folder = Folder("memory");
        var predictions = new List<GptImage.Prediction>();
        for (var i = 0; i < 4; i++)
        {
            predictions.Add(await client.SubmitAsync(new ImageTemplate { Size = "1536x1024", Base64Output = true }.Generate($"m{i}"), CancellationToken.None));
        }
        await Task.Delay(400); // all four have ended on the emulator: what follows is the decoding alone
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(true);
        long written = 0;
        foreach (var p in predictions)
        {
            var done = await WaitAsync(client, p, TimeSpan.FromSeconds(30), new SaveOptions { Directory = folder });
            written += done.Files.Sum(f => f.Length);
        }
        var allocated = GC.GetTotalAllocatedBytes(true) - before;
        var ratio = allocated / (double)written;
        Print($"5. Memory: 4 x 1536x1024 base64 outputs, {written / 1048576.0:0.0} MB written; {allocated / 1048576.0:0.00} MB allocated while querying and decoding; " +
              $"ratio {ratio:0.000} (target <= 2: {Verdict(ratio <= 2)}); largest single image {written / 4 / 1048576.0:0.0} MB, so no string held one.");
    }
}
