using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GptImage.Emulator;

namespace GptImage.Tests.Emulator;

public sealed class FaultInjectionTests
{
    private static async Task<(EmulatorServer, EmulatorClient, string Id, string Output)> CompletedTaskAsync(EmulatorOptions? options = null, string? task = null)
    {
        var (server, client) = await EmulatorClient.StartAsync(options ?? new EmulatorOptions { InferenceLatencyMs = 10 });
        var id = (await client.SubmitAsync(task: task))["id"]!.GetValue<string>();
        var final = await client.WaitFinalAsync(id);
        return (server, client, id, final["outputs"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("429", 429, null, null)]
    [InlineData("429;retry-after=2", 429, "2", null)]
    [InlineData("429;retry-after-ms=250", 429, null, "250")]
    [InlineData("500", 500, null, null)]
    [InlineData("502", 502, null, null)]
    [InlineData("503", 503, null, null)]
    public async Task A_fault_header_answers_the_status_with_the_envelope_and_retry_headers(string fault, int status, string? retryAfter, string? retryAfterMs)
    {
        var (server, client, id, _) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        using var response = await client.GetAsync($"api/v3/predictions/{id}/result", fault);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, (await EmulatorClient.JsonAsync(response))["code"]!.GetValue<int>());
        Assert.Equal(retryAfter, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(retryAfterMs, response.Headers.TryGetValues("retry-after-ms", out var v) ? v.Single() : null);
    }

    [Fact]
    public async Task Retry_after_can_be_an_http_date()
    {
        var (server, client, id, _) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        using var response = await client.GetAsync($"api/v3/predictions/{id}/result", "429;retry-after-date=3");
        Assert.NotNull(response.Headers.RetryAfter!.Date);
        Assert.InRange(response.Headers.RetryAfter.Date!.Value, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task A_reset_drops_the_connection_without_an_answer()
    {
        var (server, client, id, _) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"api/v3/predictions/{id}/result", "reset"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image", new { prompt = "x" }, "reset"));
        Assert.Equal(1, server.Stats.Submits); // the reset submit created no task
    }

    [Fact]
    public async Task Malformed_json_is_a_200_whose_body_does_not_parse()
    {
        var (server, client, id, _) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        using var response = await client.GetAsync($"api/v3/predictions/{id}/result", "malformed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"code\":200", text);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task Added_latency_delays_the_answer()
    {
        var (server, client, id, _) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync($"api/v3/predictions/{id}/result", "latency=300");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_truncated_download_declares_the_full_length_and_breaks_off_half_way()
    {
        var (server, client, _, output) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        var whole = await client.Http.GetByteArrayAsync(output);
        using var response = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, output) { Headers = { { "X-Emulator-Fault", "truncate" } } }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(whole.Length, response.Content.Headers.ContentLength);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
        Assert.True(error is IOException or HttpRequestException, error.ToString());
    }

    [Fact]
    public async Task A_trickled_download_arrives_whole_but_slowly()
    {
        var (server, client, _, output) = await CompletedTaskAsync(new EmulatorOptions { InferenceLatencyMs = 10, TrickleDelayMs = 20 });
        await using var _s = server;
        using var _c = client;
        var whole = await client.Http.GetByteArrayAsync(output);
        var watch = Stopwatch.StartNew();
        using var response = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, output) { Headers = { { "X-Emulator-Fault", "trickle" } } });
        Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
        var chunks = (whole.Length + (16 * 1024) - 1) / (16 * 1024);
        Assert.True(watch.ElapsedMilliseconds >= chunks * 15, $"{chunks} chunks in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task An_expired_output_is_404()
    {
        var (server, client, _, output) = await CompletedTaskAsync();
        await using var _s = server;
        using var _c = client;
        using var response = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, output) { Headers = { { "X-Emulator-Fault", "expired" } } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_download_fault_given_to_the_task_at_submit_applies_to_every_download_of_its_outputs()
    {
        var (server, client, _, output) = await CompletedTaskAsync(task: "output=expired");
        await using var _s = server;
        using var _c = client;
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.Http.GetAsync(output);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Configured_rates_inject_faults_on_their_endpoint_kind_only()
    {
        var options = new EmulatorOptions { InferenceLatencyMs = 10 };
        options.Faults.Result.ServerError = 1.0;
        var (server, client) = await EmulatorClient.StartAsync(options);
        await using var _s = server;
        using var _c = client;
        var id = (await client.SubmitAsync())["id"]!.GetValue<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync($"api/v3/predictions/{id}/result");
            Assert.Contains((int)response.StatusCode, new[] { 500, 502, 503 });
        }
        Assert.Equal(10, server.Stats.FaultsInjected);
    }

    [Fact]
    public async Task Configured_rates_are_drawn_in_proportion()
    {
        var options = new EmulatorOptions { InferenceLatencyMs = 0, Seed = 7 };
        options.Faults.Download.Truncate = 0.1;
        options.Faults.Download.RateLimitRetryAfter = 0.2;
        var (server, client, _, output) = await CompletedTaskAsync(options);
        await using var _s = server;
        using var _c = client;
        int ok = 0, limited = 0, truncated = 0;
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await client.Http.GetAsync(output);
                if (response.StatusCode == (HttpStatusCode)429) { limited++; Assert.NotNull(response.Headers.RetryAfter); }
                else { ok++; }
            }
            catch (HttpRequestException) { truncated++; }
        }
        Assert.InRange(limited, 30, 90);
        Assert.InRange(truncated, 10, 55);
        Assert.Equal(300, ok + limited + truncated);
    }

    [Fact]
    public async Task Options_bind_from_the_command_line()
    {
        var options = EmulatorOptions.FromArgs(["--Emulator:InferenceLatencyMs", "2500", "--Emulator:Faults:Result:RateLimit", "0.25", "--Emulator:SyncTimeoutAnswer", "GatewayTimeout", "--Emulator:MaxConcurrentTasks=2"]);
        Assert.Equal(2500, options.InferenceLatencyMs);
        Assert.Equal(0.25, options.Faults.Result.RateLimit);
        Assert.Equal(SyncTimeoutAnswer.GatewayTimeout, options.SyncTimeoutAnswer);
        Assert.Equal(2, options.MaxConcurrentTasks);
        await using var server = await EmulatorServer.StartAsync(options, ["--urls", "http://127.0.0.1:0"]);
        Assert.Equal("127.0.0.1", server.BaseUri.Host);
    }
}
