using System.Net;
using System.Text.Json.Nodes;
using GptImage.Emulator;

namespace GptImage.Tests.Emulator;

public sealed class WaveSpeedEmulatorTests
{
    [Fact]
    public async Task Text_to_image_moves_from_created_through_processing_to_completed_and_serves_a_png_of_the_size()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 300 });
        await using var _ = server;
        using var __ = client;

        var data = await client.SubmitAsync(new { prompt = "A T-Rex", size = "1536*1024", quality = "low" });
        Assert.Equal("created", data["status"]!.GetValue<string>());
        Assert.Empty(data["outputs"]!.AsArray());
        var id = data["id"]!.GetValue<string>();
        Assert.EndsWith($"/api/v3/predictions/{id}/result", data["urls"]!["get"]!.GetValue<string>());

        var seen = new HashSet<string>();
        JsonObject final;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var r = await client.GetAsync($"api/v3/predictions/{id}/result");
            final = (await EmulatorClient.JsonAsync(r))["data"]!.AsObject();
            seen.Add(final["status"]!.GetValue<string>());
            if (final["status"]!.GetValue<string>() == "completed" || DateTime.UtcNow > deadline) { break; }
            await Task.Delay(10);
        }
        Assert.Contains("processing", seen);
        Assert.Equal("completed", final["status"]!.GetValue<string>());
        Assert.Equal(300, final["timings"]!["inference"]!.GetValue<int>());
        Assert.Equal([false], final["has_nsfw_contents"]!.AsArray().Select(n => n!.GetValue<bool>()));

        using var png = await client.Http.GetAsync(new Uri(final["outputs"]![0]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.True(Png.TryReadSize(bytes, out var w, out var h));
        Assert.Equal((1536, 1024), (w, h));
        Assert.Equal(bytes.Length, png.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Result_is_served_at_both_the_result_path_and_the_bare_prediction_path()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        var id = (await client.SubmitAsync())["id"]!.GetValue<string>();

        using var a = await client.GetAsync($"api/v3/predictions/{id}/result");
        using var b = await client.GetAsync($"api/v3/predictions/{id}");
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(id, (await EmulatorClient.JsonAsync(b))["data"]!["id"]!.GetValue<string>());
        using var missing = await client.GetAsync("api/v3/predictions/nope/result");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(404, (await EmulatorClient.JsonAsync(missing))["code"]!.GetValue<int>());
        Assert.Equal(3, server.Stats.ResultQueries);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task A_missing_or_wrong_key_is_answered_401_with_the_envelope_and_never_echoed(string? key)
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        if (key is not null) { http.DefaultRequestHeaders.Add("Authorization", "Bearer " + key); }
        foreach (var (method, path) in new[] { ("POST", "api/v3/openai/gpt-image-1/text-to-image"), ("GET", "api/v3/predictions/x/result"), ("GET", "api/v3/balance"), ("POST", "api/v3/media/uploads") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null };
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"code\":401", body);
            if (key is not null) { Assert.DoesNotContain(key, body); }
        }
        Assert.Equal(0, server.Stats.Submits);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "openai/gpt-image-1/text-to-image", """{"size":"1024*1024"}""", "prompt" },
        { "openai/gpt-image-1/text-to-image", """{"prompt":"x","size":"512*512"}""", "size: must be one of 1024*1024, 1024*1536, 1536*1024" },
        { "openai/gpt-image-1/text-to-image", """{"prompt":"x","size":"1024x1536"}""", "size: must be one of 1024*1024, 1024*1536, 1536*1024" },
        { "openai/gpt-image-1.5/text-to-image", """{"prompt":"x","size":"1536x1024"}""", "size: must be one of auto, 1024*1024" },
        { "openai/gpt-image-1/text-to-image", """{"prompt":"x","enable_base64_output":"true"}""", "enable_base64_output: must be a JSON boolean" },
        { "openai/gpt-image-1/text-to-image", """{"prompt":"x","background":"opaque"}""", "background: unknown parameter" },
        { "openai/gpt-image-1", """{"prompt":"x","image":"https://a/1","mask":"https://a/m"}""", "mask: unknown parameter" },
        { "openai/gpt-image-1-mini/edit", """{"prompt":"x","images":["https://a/1"],"size":"1024*1024"}""", "size: unknown parameter" },
        { "openai/gpt-image-1-high-fidelity", """{"prompt":"x","quality":"low"}""", "quality: unknown parameter" },
        { "openai/gpt-image-1/text-to-image", """{"prompt":"x","quality":"ultra"}""", "quality: must be one of low, medium, high" },
        { "openai/gpt-image-1/text-to-image", "{\"prompt\":\"" + new string('a', 32001) + "\"}", "at most 32000" },
        { "openai/gpt-image-1", """{"prompt":"x"}""", "image: field required" },
        { "openai/gpt-image-1", """{"prompt":"x","image":"C:\\photo.png"}""", "image: must be a valid http(s) URL" },
        { "openai/gpt-image-1", """{"prompt":"x","image":"https://a.example/i.png","size":"2048*2048"}""", "size" },
        { "openai/gpt-image-1", """{"prompt":"x","image":"https://a.example/i.png","mask_image":"mask.png"}""", "mask_image" },
        { "openai/gpt-image-1-high-fidelity", """{"prompt":""}""", "prompt" },
        { "openai/gpt-image-1-mini/text-to-image", """{}""", "prompt" },
        { "openai/gpt-image-1-mini/edit", """{"prompt":"x","images":[]}""", "images" },
        { "openai/gpt-image-1-mini/edit", """{"prompt":"x","images":["https://a/1","https://a/2","https://a/3","https://a/4","https://a/5"]}""", "at most 4" },
        { "openai/gpt-image-1-mini/edit", """{"prompt":"x","images":["ftp://a/1"]}""", "valid http(s) URL" },
        { "openai/gpt-image-1.5/text-to-image", """{"prompt":"x","background":"green"}""", "background" },
        { "openai/gpt-image-1.5/edit", """{"prompt":"x","images":["https://a/1"],"input_fidelity":"max"}""", "input_fidelity" },
        { "openai/gpt-image-1/text-to-image", """not json""", "JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Each_model_rejects_an_invalid_body_with_400_and_a_message_naming_the_parameter(string model, string body, string expected)
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/" + model, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await EmulatorClient.JsonAsync(response);
        Assert.Equal(400, json["code"]!.GetValue<int>());
        Assert.Contains(expected, json["message"]!.GetValue<string>());
        Assert.Equal(0, server.Stats.Submits);
    }

    [Theory]
    [InlineData("openai/gpt-image-1/text-to-image", """{"prompt":"x","size":"1024*1536","quality":"high"}""", 1024, 1536)]
    [InlineData("openai/gpt-image-1", """{"prompt":"x","image":"https://a.example/i.png","size":"auto"}""", 1024, 1024)]
    [InlineData("openai/gpt-image-1-high-fidelity", """{"prompt":"x"}""", 1024, 1024)]
    [InlineData("openai/gpt-image-1-mini/text-to-image", """{"prompt":"x"}""", 1024, 1024)]
    [InlineData("openai/gpt-image-1-mini/edit", """{"prompt":"x","images":["https://a/1","https://a/2"]}""", 1024, 1024)]
    [InlineData("openai/gpt-image-1.5/text-to-image", """{"prompt":"x","size":"1536*1024","background":"transparent"}""", 1536, 1024)]
    [InlineData("openai/gpt-image-1.5/edit", """{"prompt":"x","images":["https://a/1"],"input_fidelity":"high"}""", 1024, 1024)]
    public async Task Every_listed_model_accepts_a_valid_body_and_completes(string model, string body, int width, int height)
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/" + model, body);
        var json = await EmulatorClient.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        var final = await client.WaitFinalAsync(json["data"]!["id"]!.GetValue<string>());
        Assert.Equal(model, final["model"]!.GetValue<string>());
        var bytes = await client.Http.GetByteArrayAsync(final["outputs"]![0]!.GetValue<string>());
        Assert.True(Png.TryReadSize(bytes, out var w, out var h));
        Assert.Equal((width, height), (w, h));
    }

    [Fact]
    public async Task An_unknown_model_is_404()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/openai/dall-e-9", new { prompt = "x" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("dall-e-9", (await EmulatorClient.JsonAsync(response))["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1200, "moderation")]
    [InlineData(1402, "Media access")]
    [InlineData(5004, "timed out")]
    public async Task A_task_asked_to_fail_ends_failed_with_its_code_and_error_text(int code, string text)
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        await using var _ = server;
        using var __ = client;
        var data = await client.SubmitAsync(task: $"fail={code}");
        var final = await client.WaitFinalAsync(data["id"]!.GetValue<string>());
        Assert.Equal("failed", final["status"]!.GetValue<string>());
        Assert.Equal(code, final["code"]!.GetValue<int>());
        Assert.Contains(text, final["error"]!.GetValue<string>());
        Assert.Empty(final["outputs"]!.AsArray());
    }

    [Fact]
    public async Task A_prompt_marker_shapes_the_task_like_the_header_does()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        await using var _ = server;
        using var __ = client;
        var data = await client.SubmitAsync(new { prompt = "a cat [emulator:fail=1200;latency=50]" });
        var final = await client.WaitFinalAsync(data["id"]!.GetValue<string>());
        Assert.Equal(1200, final["code"]!.GetValue<int>());
        Assert.Equal(50, final["timings"]!["inference"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_input_url_on_the_emulator_that_was_never_uploaded_fails_the_task_with_1402()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        await using var _ = server;
        using var __ = client;
        var data = await client.SubmitAsync(new { prompt = "x", image = new Uri(server.BaseUri, "media/unknown/a.png").ToString() }, "openai/gpt-image-1");
        var final = await client.WaitFinalAsync(data["id"]!.GetValue<string>());
        Assert.Equal(1402, final["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Nsfw_flag_is_reported_per_output()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        await using var _ = server;
        using var __ = client;
        var final = await client.WaitFinalAsync((await client.SubmitAsync(task: "nsfw"))["id"]!.GetValue<string>());
        Assert.True(final["has_nsfw_contents"]![0]!.GetValue<bool>());
    }

    [Fact]
    public async Task Sync_mode_returns_the_final_prediction_in_the_submit_answer()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 150 });
        await using var _ = server;
        using var __ = client;
        var data = await client.SubmitAsync(new { prompt = "x", enable_sync_mode = true });
        Assert.Equal("completed", data["status"]!.GetValue<string>());
        Assert.Single(data["outputs"]!.AsArray());
        Assert.Equal(0, server.Stats.ResultQueries);
    }

    [Fact]
    public async Task Sync_mode_that_outlives_its_timeout_answers_processing_with_code_5004_and_urls_get()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 2000, SyncTimeoutMs = 100 });
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image", new { prompt = "x", enable_sync_mode = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await EmulatorClient.JsonAsync(response))["data"]!;
        Assert.Equal("processing", data["status"]!.GetValue<string>());
        Assert.Equal(5004, data["code"]!.GetValue<int>());
        Assert.StartsWith("Sync mode timed out after 90 seconds", data["error"]!.GetValue<string>());
        Assert.NotNull(data["urls"]!["get"]);
        Assert.Equal(1, server.Stats.Submits);
    }

    [Fact]
    public async Task Sync_mode_timeout_can_be_a_gateway_504_instead()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 2000, SyncTimeoutMs = 100, SyncTimeoutAnswer = SyncTimeoutAnswer.GatewayTimeout });
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image", new { prompt = "x", enable_sync_mode = true });
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        using var perRequest = await client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image", new { prompt = "x", enable_sync_mode = true }, task: "sync-timeout=5004");
        Assert.Equal(HttpStatusCode.OK, perRequest.StatusCode);
        Assert.Equal(2, server.Stats.Submits);
    }

    [Fact]
    public async Task Base64_output_holds_bare_base64_of_a_png_per_image()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        await using var _ = server;
        using var __ = client;
        var data = await client.SubmitAsync(new { prompt = "x", size = "1024*1536", enable_base64_output = true });
        var final = await client.WaitFinalAsync(data["id"]!.GetValue<string>());
        var text = final["outputs"]![0]!.GetValue<string>();
        Assert.DoesNotContain("data:", text);
        Assert.DoesNotContain("\n", text);
        Assert.True(Png.TryReadSize(Convert.FromBase64String(text), out var w, out var h));
        Assert.Equal((1024, 1536), (w, h));
    }

    [Fact]
    public async Task Base64_output_with_a_webhook_is_refused_with_the_error_shape()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image?webhook=https://hook.example/x", new { prompt = "x", enable_base64_output = true });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("webhook callback does not support base64 output", (await EmulatorClient.JsonAsync(response))["error"]!.GetValue<string>());
        Assert.Equal(0, server.Stats.Submits);
    }

    [Fact]
    public async Task Webhook_is_delivered_with_the_flat_data_and_a_valid_signature()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 50 });
        await using var _ = server;
        using var __ = client;
        await using var hook = await WebhookReceiver.StartAsync();

        using var secretResponse = await client.GetAsync("api/v3/webhook/secret");
        var secret = (await EmulatorClient.JsonAsync(secretResponse))["data"]!["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);

        var data = await client.SubmitAsync(model: "openai/gpt-image-1/text-to-image?webhook=" + Uri.EscapeDataString(hook.Url));
        var delivery = await hook.Received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var payload = JsonNode.Parse(delivery.Body)!.AsObject();
        Assert.Equal(data["id"]!.GetValue<string>(), payload["id"]!.GetValue<string>());
        Assert.Equal("completed", payload["status"]!.GetValue<string>());
        Assert.Null(payload["data"]);
        var expected = EmulatorServer.SignWebhook(secret, delivery.Headers["webhook-id"], delivery.Headers["webhook-timestamp"], delivery.Body);
        Assert.Equal(expected, delivery.Headers["webhook-signature"]);
        Assert.StartsWith("v3,", expected);
        Assert.Equal(64 + 3, expected.Length);
        Assert.InRange(long.Parse(delivery.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Balance_is_charged_the_public_price_per_submit_and_an_empty_account_is_refused()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { Balance = 0.05m });
        await using var _ = server;
        using var __ = client;
        await client.SubmitAsync(new { prompt = "x", quality = "medium" });
        using var balance = await client.GetAsync("api/v3/balance");
        Assert.Equal(0.008m, (await EmulatorClient.JsonAsync(balance))["data"]!["balance"]!.GetValue<decimal>());
        using var refused = await client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image", new { prompt = "x", quality = "medium" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Insufficient balance", (await EmulatorClient.JsonAsync(refused))["message"]!.GetValue<string>());
        Assert.Equal(1, server.Stats.Submits);
    }

    [Fact]
    public async Task Submits_beyond_the_concurrent_task_cap_are_answered_429_until_a_task_ends()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 300, MaxConcurrentTasks = 2 });
        await using var _ = server;
        using var __ = client;
        var first = await client.SubmitAsync();
        await client.SubmitAsync();
        using var third = await client.PostJsonAsync("api/v3/openai/gpt-image-1/text-to-image", new { prompt = "x" });
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        await client.WaitFinalAsync(first["id"]!.GetValue<string>());
        await client.SubmitAsync();
        Assert.Equal(3, server.Stats.Submits);
        Assert.Equal(1, server.Stats.RateLimited);
        Assert.Equal(2, server.Stats.MaxTasksInFlight);
    }

    [Fact]
    public async Task Models_predictions_list_and_stats_endpoints_answer()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        var id = (await client.SubmitAsync())["id"]!.GetValue<string>();
        using var models = await client.GetAsync("api/v3/models");
        Assert.Contains((await EmulatorClient.JsonAsync(models))["data"]!.AsArray(), m => m!["model_id"]!.GetValue<string>() == "openai/gpt-image-1-mini/edit");
        using var list = await client.GetAsync("api/v3/predictions");
        Assert.Equal(id, (await EmulatorClient.JsonAsync(list))["data"]!["items"]![0]!["id"]!.GetValue<string>());
        using var stats = await client.GetAsync("_emulator/stats");
        var json = await EmulatorClient.JsonAsync(stats);
        Assert.Equal(1, json["submits"]!.GetValue<long>());
    }
}
