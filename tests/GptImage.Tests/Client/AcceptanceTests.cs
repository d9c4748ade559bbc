using System.Net;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Polling;
using GptImage.Providers.WaveSpeed;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Tests.Emulator;

namespace GptImage.Tests.Client;

/// <summary>The client's acceptance scenarios: a faulty batch, mass cancellation, and a canary key.</summary>
public sealed class AcceptanceTests
{
    [Fact]
    public async Task Two_hundred_tasks_through_faulty_results_and_truncated_downloads_all_end_as_valid_pngs_submitted_once()
    {
        var emulator = new EmulatorOptions { InferenceLatencyMs = 200, Seed = 42 };
        emulator.Faults.Result.RateLimit = 0.07;
        emulator.Faults.Result.ServerError = 0.07;
        emulator.Faults.Result.Reset = 0.06;
        emulator.Faults.Download.Truncate = 0.10;
        await using var h = await ClientHarness.StartAsync(emulator, o => o.MaximumRetryCount = 10);

        var done = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var submitted = await h.Client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate($"image {i}"), CancellationToken.None);
            return await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(60), h.Save(), CancellationToken.None);
        }));

        Assert.Equal(200, done.Select(p => p.Id).Distinct().Count());
        foreach (var prediction in done)
        {
            Assert.Equal(PredictionStatus.Completed, prediction.Status);
            var file = Assert.Single(prediction.Files);
            Assert.Equal((1024, 1024), TestImages.SizeOf(file.FullName));
        }
        var stats = h.Server.Stats;
        Assert.Equal(200, stats.Submits);
        Assert.Equal(200, stats.SubmitRequests);
        Assert.True(stats.FaultsInjected >= 40, $"{stats.FaultsInjected} faults injected");
        Assert.True(stats.DownloadRequests > 200, "some downloads were truncated and retried");
        Assert.Equal(200, Directory.GetFiles(h.Folder, "*.png").Length);
        Assert.Empty(h.TempFiles());

        // Each file holds exactly the bytes the service serves for its output, however its downloads went.
        emulator.Faults.Download.Truncate = 0;
        using var raw = new EmulatorClient(h.Server);
        foreach (var prediction in done)
        {
            Assert.Equal(await raw.Http.GetByteArrayAsync(prediction.Outputs[0]), await File.ReadAllBytesAsync(prediction.Files[0].FullName));
        }
    }

    [Fact]
    public async Task Cancelling_fifty_in_flight_waits_stops_every_request_and_leaves_no_partial_file()
    {
        var emulator = new EmulatorOptions { InferenceLatencyMs = 50, TrickleDelayMs = 200 };
        emulator.Faults.Download.Trickle = 1.0; // downloads take seconds: they are mid-transfer when cancelled
        await using var h = await ClientHarness.StartAsync(emulator);
        using var raw = new EmulatorClient(h.Server);

        // 25 tasks still running on the service (polled), 25 finished and downloading.
        var polling = new List<GptImage.Prediction>();
        for (var i = 0; i < 25; i++)
        {
            polling.Add(new GptImage.Prediction { Id = (await raw.SubmitAsync(task: "latency=60000"))["id"]!.GetValue<string>() });
        }
        var downloading = await Task.WhenAll(Enumerable.Range(0, 25).Select(i => h.Client.SubmitAsync(new ImageTemplate().Generate($"d{i}"), CancellationToken.None)));

        using var cts = new CancellationTokenSource();
        var waits = polling.Concat(downloading)
            .Select(p => h.Client.WaitAndSaveAsync(p, TimeSpan.FromMinutes(5), h.Save(), cts.Token))
            .ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (h.Server.Stats.DownloadRequests < 25 || h.TempFiles().Length < 25)
        {
            Assert.True(DateTime.UtcNow < deadline, $"downloads started: {h.Server.Stats.DownloadRequests}");
            await Task.Delay(20);
        }
        Assert.All(waits, w => Assert.False(w.IsCompleted));

        cts.Cancel();
        // Without the cancel, a trickled download takes many seconds and a poll goes on for a minute.
        var all = Task.WhenAll(waits.Select(async w =>
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => w);
        }));
        await all.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(h.TempFiles());
        Assert.Empty(Directory.GetFiles(h.Folder, "*.png"));
        Assert.Equal(0, h.Server.Stats.Downloads);
    }

    [Fact]
    public async Task A_canary_key_appears_nowhere_but_the_authorization_header()
    {
        const string canary = "canary-7f3a9c1e5b2d4f60a8e1c3b5d7f9a2c4";
        var requests = new List<(HttpRequestMessage Request, string? Authorization)>();
        var log = new List<string>();
        var shown = new List<string>();
        var emulator = new EmulatorOptions { ApiKey = canary, InferenceLatencyMs = 30 };
        await using var server = await EmulatorServer.StartAsync(emulator);
        var folder = Directory.CreateTempSubdirectory("gptimage-canary-").FullName;
        try
        {
            using var ownedClient = new OwnedClient(CanaryOptions(server, canary, log), new RecordingHandler(requests));
            var client = ownedClient.Client;
            await SucceedEveryWayAsync(client, folder, shown);
            await FailEveryWayAsync(client, server, shown);
            await FailWithTheKeyEchoedOrRefusedAsync(server, canary, log, shown);
            shown.Add(new ApiCredential(canary).ToString());
            shown.Add(new ApiCredential(canary).Masked);

            Assert.True(log.Count > 20, "verbose logging was exercised");
            Assert.DoesNotContain(log, l => l.Contains(canary));
            Assert.DoesNotContain(shown, s => s.Contains(canary));
            Assert.DoesNotContain(shown, s => s.Contains(canary[..20]));
            var withKey = requests.Where(r => r.Authorization is not null).ToList();
            Assert.NotEmpty(withKey);
            Assert.All(withKey, r => Assert.Equal("Bearer " + canary, r.Authorization));
            // Never to the presigned upload URL or to output downloads.
            Assert.All(requests.Where(r => r.Request.Method == HttpMethod.Put || r.Request.RequestUri!.AbsolutePath.StartsWith("/outputs/")),
                r => Assert.Null(r.Authorization));
            Assert.All(requests, r => Assert.DoesNotContain(canary, r.Request.RequestUri!.ToString()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ConnectionOptions CanaryOptions(EmulatorServer server, string key, List<string> log) => new()
    {
        BaseUri = server.BaseUri,
        Credential = new ApiCredential(key),
        RetryInterval = TimeSpan.FromMilliseconds(5),
        MaximumRetryCount = 1,
        PollSchedule = ClientHarness.FastPolling,
        RequestTimeout = TimeSpan.FromSeconds(5),
        Log = line => { lock (log) { log.Add(line); } },
    };

    /// <summary>Success: upload, submit, poll, download; base64 and sync mode too. Keeps what each prediction shows.</summary>
    private static async Task SucceedEveryWayAsync(WaveSpeedClient client, string folder, List<string> shown)
    {
        var input = Path.Combine(folder, "in.png");
        await File.WriteAllBytesAsync(input, TestImages.Png(32, 32));
        foreach (var request in new[]
        {
            new ImageTemplate().Generate("x"),
            new ImageTemplate { Base64Output = true }.Generate("x"),
            new ImageTemplate { SyncMode = true }.Generate("x"),
            new ImageTemplate { Prompt = "x" }.Edit([ImageSource.FromFile(input)]),
        })
        {
            var done = await client.WaitAndSaveAsync(await client.SubmitAsync(request, CancellationToken.None), TimeSpan.FromSeconds(10),
                new SaveOptions { Directory = folder, Overwrite = true }, CancellationToken.None);
            shown.Add(done.ToString());
            shown.Add(done.RawResponse ?? "");
            shown.Add(done.Prompt ?? "");
        }
    }

    /// <summary>Failures: a failed task, a missing one, 5xx, resets, 429, malformed answers, a timeout, a refused size.</summary>
    private static async Task FailEveryWayAsync(WaveSpeedClient client, EmulatorServer server, List<string> shown)
    {
        using var raw = new EmulatorClient(server);
        var failed = (await raw.SubmitAsync(task: "fail=1200"))["id"]!.GetValue<string>();
        var failedPrediction = await client.WaitAndSaveAsync(new GptImage.Prediction { Id = failed }, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        shown.Add(failedPrediction.ToFailure().ToString());
        await KeepFailureAsync(shown, () => client.GetAsync("missing", CancellationToken.None));
        server.Options.Faults.Submit.ServerError = 1;
        await KeepFailureAsync(shown, () => client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        server.Options.Faults.Submit.ServerError = 0;
        server.Options.Faults.Submit.Reset = 1;
        await KeepFailureAsync(shown, () => client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        server.Options.Faults.Submit.Reset = 0;
        server.Options.Faults.Result.RateLimit = 1;
        await KeepFailureAsync(shown, () => client.GetAsync(failed, CancellationToken.None));
        server.Options.Faults.Result.RateLimit = 0;
        server.Options.Faults.Result.Malformed = 1;
        await KeepFailureAsync(shown, () => client.GetAsync(failed, CancellationToken.None));
        server.Options.Faults.Result.Malformed = 0;
        var slow = (await raw.SubmitAsync(task: "latency=60000")).Deserialize();
        await KeepFailureAsync(shown, () => client.WaitAndSaveAsync(slow, TimeSpan.FromMilliseconds(50), null, CancellationToken.None));
        await KeepFailureAsync(shown, () => client.SubmitAsync(new ImageTemplate { Size = "1x1" }.Generate("x"), CancellationToken.None));
    }

    /// <summary>A service that echoes the key back in its error (the echo is redacted), and a wrong key refused without being repeated.</summary>
    private static async Task FailWithTheKeyEchoedOrRefusedAsync(EmulatorServer server, string canary, List<string> log, List<string> shown)
    {
        using (var ownedEcho = new OwnedClient(CanaryOptions(server, canary, log), new EchoHandler()))
        {
            await KeepFailureAsync(shown, () => ownedEcho.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        }
        await using var other = await EmulatorServer.StartAsync(new EmulatorOptions());
        var options = CanaryOptions(server, canary, log);
        options.BaseUri = other.BaseUri;
        using var ownedRefused = new OwnedClient(options);
        var refused = ownedRefused.Client;
        await KeepFailureAsync(shown, () => refused.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
    }

    /// <summary>Each failure surfaces an exception whose whole text is kept to be checked.</summary>
    private static async Task KeepFailureAsync(List<string> shown, Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(action);
        shown.Add(e.ToString());
    }

    private sealed class RecordingHandler(List<(HttpRequestMessage, string?)> seen) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen) { seen.Add((request, request.Headers.Authorization?.ToString())); }
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class EchoHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent($"{{\"code\":400,\"message\":\"bad header {request.Headers.Authorization}\"}}"),
            });
    }
}
