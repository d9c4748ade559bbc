using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GptImage.Emulator;
using GptImage.Http.Auth;
using GptImage.Http.Retry;
using GptImage.Http;
using GptImage.Providers.WaveSpeed;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Tests.Client;

public sealed class RetryTests
{
    [Fact]
    public async Task Result_queries_are_retried_on_429_5xx_and_resets()
    {
        var emulator = new EmulatorOptions { InferenceLatencyMs = 50, Seed = 3 };
        emulator.Faults.Result.RateLimit = 0.15;
        emulator.Faults.Result.ServerError = 0.15;
        emulator.Faults.Result.Reset = 0.1;
        await using var h = await ClientHarness.StartAsync(emulator, o => o.MaximumRetryCount = 10);
        var predictions = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => h.Client.SubmitAsync(new ImageTemplate().Generate($"p{i}"), CancellationToken.None)));
        var done = await Task.WhenAll(predictions.Select(p => h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(20), null, CancellationToken.None)));
        Assert.All(done, p => Assert.Equal(PredictionStatus.Completed, p.Status));
        Assert.True(h.Server.Stats.FaultsInjected > 0);
        Assert.Contains(h.Log, l => l.Contains("Retrying"));
    }

    [Fact]
    public async Task A_malformed_result_is_an_invalid_answer_and_is_not_queried_again()
    {
        var emulator = new EmulatorOptions { InferenceLatencyMs = 50 };
        emulator.Faults.Result.Malformed = 1;
        await using var h = await ClientHarness.StartAsync(emulator, o => o.MaximumRetryCount = 10);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.GetAsync(submitted.Id, CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
        Assert.Equal(1, h.Server.Stats.ResultQueries);
    }

    [Fact]
    public async Task Retry_after_in_seconds_and_retry_after_ms_are_honoured()
    {
        var response = new HttpResponseMessage((HttpStatusCode)429);
        response.Headers.Add("retry-after-ms", "250");
        var options = new ConnectionOptions { RetryInterval = TimeSpan.FromMilliseconds(1) };
        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryPolicy.Delay(1, response, options));
        var seconds = new HttpResponseMessage((HttpStatusCode)429);
        seconds.Headers.Add("Retry-After", "3");
        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.Delay(1, seconds, options));
        var date = new HttpResponseMessage((HttpStatusCode)503);
        date.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(10));
        Assert.InRange(RetryPolicy.Delay(1, date, options), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));

        // The first result query is answered 429 with Retry-After: 1; the retry must wait that second, not the 10 ms interval.
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        var answered = new List<(DateTime At, int Status)>();
        using var ownedClient = new OwnedClient(ClientHarness.OptionsFor(server), new FirstResultRateLimited(answered));
        var client = ownedClient.Client;
        var submitted = await client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        await client.GetAsync(submitted.Id, CancellationToken.None);
        var results = answered.Where(a => a.Status != 0).ToList();
        Assert.Equal(new[] { 429, 200 }, results.Select(r => r.Status));
        Assert.True(results[1].At - results[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {(results[1].At - results[0].At).TotalMilliseconds} ms");
    }

    private sealed class FirstResultRateLimited(List<(DateTime, int)> answered) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _results;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/result", StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }
            if (Interlocked.Increment(ref _results) == 1)
            {
                answered.Add((DateTime.UtcNow, 429));
                var limited = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("""{"code":429,"message":"slow down"}""") };
                limited.Headers.Add("Retry-After", "1");
                return limited;
            }
            var response = await base.SendAsync(request, cancellationToken);
            answered.Add((DateTime.UtcNow, (int)response.StatusCode));
            return response;
        }
    }

    [Fact]
    public void Backoff_is_exponential_with_jitter_and_capped()
    {
        var options = new ConnectionOptions { RetryInterval = TimeSpan.FromMilliseconds(100), MaximumRetryInterval = TimeSpan.FromMilliseconds(500) };
        var delays = Enumerable.Range(1, 6).Select(n => RetryPolicy.Delay(n, null, options).TotalMilliseconds).ToArray();
        Assert.InRange(delays[0], 50, 100);
        Assert.InRange(delays[1], 100, 200);
        Assert.InRange(delays[2], 200, 400);
        Assert.All(delays.Skip(3), d => Assert.InRange(d, 250, 500));
        var spread = Enumerable.Range(0, 50).Select(_ => RetryPolicy.Delay(3, null, options).TotalMilliseconds).Distinct().Count();
        Assert.True(spread > 10, "jitter spreads retries");
    }

    [Fact]
    public async Task A_submit_answered_5xx_is_not_sent_again()
    {
        var emulator = new EmulatorOptions();
        emulator.Faults.Submit.ServerError = 1.0;
        await using var h = await ClientHarness.StartAsync(emulator);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.ServiceUnavailable, e.Kind);
        Assert.Contains("not sent again", e.Message);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task A_submit_whose_connection_is_reset_is_not_sent_again_and_says_a_task_may_exist()
    {
        var emulator = new EmulatorOptions();
        emulator.Faults.Submit.Reset = 1.0;
        await using var h = await ClientHarness.StartAsync(emulator);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.SubmitOutcomeUnknown, e.Kind);
        Assert.Contains("may have reached the service", e.Message);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task A_submit_that_times_out_is_not_sent_again()
    {
        // The timeout leaves room for the request to arrive on a loaded machine; the answer comes far later.
        var emulator = new EmulatorOptions { ResponseLatencyMs = 20000 };
        await using var h = await ClientHarness.StartAsync(emulator, o => o.RequestTimeout = TimeSpan.FromMilliseconds(1500));
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.SubmitOutcomeUnknown, e.Kind);
        Assert.Contains("timed out", e.Message);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task A_submit_answered_429_is_retried_and_creates_exactly_one_task()
    {
        var emulator = new EmulatorOptions { Seed = 11 };
        emulator.Faults.Submit.RateLimit = 0.6;
        await using var h = await ClientHarness.StartAsync(emulator, o => o.MaximumRetryCount = 20);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        Assert.NotEmpty(submitted.Id);
        Assert.Equal(1, h.Server.Stats.Submits);
        Assert.True(h.Server.Stats.SubmitRequests > 1, "the seed draws at least one 429 first");
    }

    [Fact]
    public async Task A_submit_to_a_refused_connection_is_retried_because_it_certainly_never_arrived()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connections are refused
        var log = new List<string>();
        var options = new ConnectionOptions
        {
            BaseUri = new Uri($"http://127.0.0.1:{port}/"),
            Credential = new ApiCredential("k"),
            MaximumRetryCount = 2,
            RetryInterval = TimeSpan.FromMilliseconds(5),
            Log = log.Add,
        };
        using var ownedClient = new OwnedClient(options);
        var client = ownedClient.Client;
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.TransportFailed, e.Kind);
        Assert.Equal(2, log.Count(l => l.StartsWith("Retrying")));
    }

    [Fact]
    public async Task Truncated_and_trickled_downloads_are_retried_to_a_verified_file()
    {
        var emulator = new EmulatorOptions { InferenceLatencyMs = 20, Seed = 5, TrickleDelayMs = 1 };
        emulator.Faults.Download.Truncate = 0.4;
        emulator.Faults.Download.Trickle = 0.2;
        emulator.Faults.Download.ServerError = 0.1;
        await using var h = await ClientHarness.StartAsync(emulator, o => o.MaximumRetryCount = 10);
        var predictions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => h.Client.SubmitAsync(new ImageTemplate().Generate($"p{i}"), CancellationToken.None)));
        var done = await Task.WhenAll(predictions.Select(p => h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None)));
        Assert.All(done, p => Assert.Equal((1024, 1024), TestImages.SizeOf(Assert.Single(p.Files).FullName)));
        Assert.True(h.Server.Stats.DownloadRequests > 8);
        Assert.Empty(h.TempFiles());
    }

    [Theory]
    [InlineData("reset", GptImageErrorKind.DownloadFailed)]
    [InlineData("5xx", GptImageErrorKind.ServiceUnavailable)]
    [InlineData("truncate", GptImageErrorKind.DownloadFailed)]
    public async Task A_dead_output_host_costs_at_most_one_GET_per_attempt_of_the_one_retry_loop(string fault, GptImageErrorKind kind)
    {
        // Every download fails: the transport's loop is the only one, so MaximumRetryCount 5 is 6 GETs, not 6 x 6.
        var emulator = new EmulatorOptions { InferenceLatencyMs = 20 };
        if (fault == "reset") { emulator.Faults.Download.Reset = 1; }
        else if (fault == "5xx") { emulator.Faults.Download.ServerError = 1; }
        else { emulator.Faults.Download.Truncate = 1; }
        await using var h = await ClientHarness.StartAsync(emulator, o => o.MaximumRetryCount = 5);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.NotNull(e.Prediction);
        Assert.Equal(6, h.Server.Stats.DownloadRequests);
        Assert.Equal(5, h.Log.Count(l => l.StartsWith("Retrying", StringComparison.Ordinal)));
        // A failed attempt leaves no file, temporary or not.
        Assert.Empty(Directory.GetFileSystemEntries(h.Folder));
    }

    [Theory]
    [InlineData("reset", GptImageErrorKind.TransportFailed)]
    [InlineData("5xx", GptImageErrorKind.ServiceUnavailable)]
    public async Task A_dead_result_endpoint_costs_at_most_one_query_per_attempt_of_the_one_retry_loop(string fault, GptImageErrorKind kind)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 }, o => o.MaximumRetryCount = 5);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        if (fault == "reset") { h.Server.Options.Faults.Result.Reset = 1; }
        else { h.Server.Options.Faults.Result.ServerError = 1; }
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.GetAsync(submitted.Id, CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(6, h.Server.Stats.ResultQueries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Saving_returns_a_new_prediction_with_its_files_and_leaves_the_one_given_as_it_was(bool base64)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Base64Output = base64 }.Generate("x"), CancellationToken.None);
        var done = await h.Client.WaitAsync(submitted, null, CancellationToken.None);
        var before = (h.Server.Stats.ResultQueries, h.Server.Stats.DownloadRequests);
        var saved = await h.Client.SaveAsync(done, h.Save(), CancellationToken.None);
        Assert.NotSame(done, saved);
        Assert.Equal((1024, 1024), TestImages.SizeOf(Assert.Single(saved.Files).FullName));
        Assert.Empty(done.Files);
        Assert.Empty(submitted.Files);
        // base64 outputs are saved by one more result query; URLs by one GET each.
        Assert.Equal(base64 ? (1L, 0L) : (0L, 1L), (h.Server.Stats.ResultQueries - before.ResultQueries, h.Server.Stats.DownloadRequests - before.DownloadRequests));
    }

    [Theory]
    [InlineData(401, GptImageErrorKind.AuthenticationFailed)]
    [InlineData(403, GptImageErrorKind.InsufficientBalance)]
    public async Task Account_failures_are_typed(int status, GptImageErrorKind kind)
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Balance = 0 });
        var options = ClientHarness.OptionsFor(server);
        if (status == 401) { options.Credential = new ApiCredential("wrong-key-123"); }
        using var ownedClient = new OwnedClient(options);
        var client = ownedClient.Client;
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(0, server.Stats.Submits);
    }

    [Theory]
    [InlineData(400, """{"code":400,"message":"size: must be one of 1024x1024","data":null}""", GptImageErrorKind.InvalidParameter, "size: must be one of 1024x1024", null)]
    [InlineData(400, """{"error":"webhook callback does not support base64 output"}""", GptImageErrorKind.InvalidParameter, "webhook callback", null)]
    [InlineData(400, """{"error":{"message":"Invalid size","type":"invalid_request_error","param":"size","code":null}}""", GptImageErrorKind.InvalidParameter, "Invalid size", "size")]
    [InlineData(403, """{"code":403,"message":"Account suspended","data":null}""", GptImageErrorKind.Forbidden, "Account suspended", null)]
    [InlineData(402, """{"code":402,"message":"Payment required"}""", GptImageErrorKind.InsufficientBalance, "Payment required", null)]
    [InlineData(400, """{"code":400,"message":"Insufficient balance"}""", GptImageErrorKind.InsufficientBalance, "Insufficient balance", null)]
    [InlineData(413, "<html>too large</html>", GptImageErrorKind.InvalidFile, "<html>too large</html>", null)]
    public async Task Error_answers_of_every_shape_map_to_a_typed_error_with_the_services_message(int status, string body, GptImageErrorKind kind, string message, string? parameter)
    {
        using var owned = new OwnedClient(new ConnectionOptions { BaseUri = new Uri("http://127.0.0.1:9/"), Credential = new ApiCredential("stub-key-0001"), MaximumRetryCount = 0 },
            new StubHandler((HttpStatusCode)status, body));
        var client = owned.Client;
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(message, e.Message);
        Assert.Equal(parameter, e.ParameterName);
        Assert.Equal(status, e.StatusCode);
    }

    private sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
    }
}
