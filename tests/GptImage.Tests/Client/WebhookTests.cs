using System.Globalization;
using System.Text;
using GptImage.Emulator;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;

namespace GptImage.Tests.Client;

public sealed class WebhookTests
{
    private const string Secret = "whsec_emulator-test-secret";

    /// <summary>The payload the webhook pages document (a completed task, with its input), as WaveSpeed sends it.</summary>
    internal const string DocumentedPayload = """
        {
            "id": "e6832d4abffb4d79bfbca19783fca133",
            "model": "openai/gpt-image-1/text-to-image",
            "input": { "prompt": "Octopus vs. crab chess game, underwater setting, vibrant colors", "size": "1536*1024", "quality": "high" },
            "outputs": [ "https://cdn.example.net/outputs/e6832d4a.png" ],
            "urls": { "get": "https://api.wavespeed.ai/api/v3/predictions/e6832d4abffb4d79bfbca19783fca133/result" },
            "has_nsfw_contents": [ false ],
            "status": "completed",
            "created_at": "2025-05-19T06:09:15.948268264Z",
            "error": ""
        }
        """;

    private static Dictionary<string, string> Headers(string id, long timestamp, string body, string secret = Secret) => new()
    {
        ["Webhook-Id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
        ["webhook-signature"] = EmulatorServer.SignWebhook(secret, id, timestamp.ToString(CultureInfo.InvariantCulture), body),
    };

    [Fact]
    public async Task A_delivery_from_the_emulator_verifies_and_becomes_a_prediction_whose_files_save()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 50 });
        await using var hook = await WebhookReceiver.StartAsync();
        var secret = await h.Client.Account.GetWebhookSecretAsync(CancellationToken.None);
        Assert.Equal(Secret, secret);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Size = "1024*1536", Quality = "low", Webhook = new Uri(hook.Url) }.Generate("a fox"), CancellationToken.None);
        var delivery = await hook.Received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var now = DateTimeOffset.UtcNow;
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        Assert.True(WebhookSignature.Verify(delivery.Headers, body, secret, now).IsValid);
        var tampered = Encoding.UTF8.GetBytes(delivery.Body.Replace("completed", "failed", StringComparison.Ordinal));
        Assert.False(WebhookSignature.Verify(delivery.Headers, tampered, secret, now).IsValid);
        var stale = WebhookSignature.Verify(delivery.Headers, body, secret, now.AddSeconds(301));
        Assert.False(stale.IsValid);
        Assert.Contains("old", stale.Reason, StringComparison.Ordinal);
        Assert.False(WebhookSignature.Verify(delivery.Headers, body, "whsec_another-secret-of-ours", now).IsValid);

        var prediction = WaveSpeedPredictions.FromWebhook(delivery.Body);
        Assert.Equal((submitted.Id, PredictionStatus.Completed, "gpt-image-1", "a fox"), (prediction.Id, prediction.Status, prediction.Model, prediction.Prompt));
        Assert.Equal(0.016m, prediction.Usd);
        var saved = await h.Client.SaveAsync(prediction, h.Save(), CancellationToken.None);
        Assert.Equal((1024, 1536), TestImages.SizeOf(Assert.Single(saved.Files).FullName));
    }

    [Fact]
    public void The_documented_payload_becomes_the_same_prediction_object()
    {
        var p = WaveSpeedPredictions.FromWebhook(DocumentedPayload);
        Assert.Equal("e6832d4abffb4d79bfbca19783fca133", p.Id);
        Assert.Equal("WaveSpeed", p.Provider);
        Assert.Equal(("gpt-image-1", "openai/gpt-image-1/text-to-image"), (p.Model, p.ModelId));
        Assert.Equal(PredictionStatus.Completed, p.Status);
        Assert.Equal("Octopus vs. crab chess game, underwater setting, vibrant colors", p.Prompt);
        Assert.Equal(new Uri("https://cdn.example.net/outputs/e6832d4a.png"), Assert.Single(p.Outputs));
        Assert.False(p.HasNsfwContents);
        Assert.Null(p.Error);
        Assert.Equal(new DateTimeOffset(2025, 5, 19, 6, 9, 15, TimeSpan.Zero), p.CreatedAt!.Value.AddTicks(-(p.CreatedAt.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(0.25m, p.Usd);
        Assert.StartsWith("estimate: published price of gpt-image-1 at 1536x1024, high", p.UsdSource, StringComparison.Ordinal);
        var failed = WaveSpeedPredictions.FromWebhook("""{"id":"f1","model":"openai/gpt-image-1","status":"failed","outputs":[],"error":"Media access failed","code":1402}""");
        Assert.Equal((PredictionStatus.Failed, "Media access failed", 1402), (failed.Status, failed.Error, failed.ErrorCode));
        Assert.Equal(GptImageErrorKind.InvalidResponse, Assert.Throws<GptImageException>(() => WaveSpeedPredictions.FromWebhook("""{"status":"completed"}""")).Kind);
        Assert.Equal(GptImageErrorKind.InvalidResponse, Assert.Throws<GptImageException>(() => WaveSpeedPredictions.FromWebhook("not json")).Kind);
    }

    [Fact]
    public void The_signature_is_HMAC_SHA256_of_id_timestamp_and_body_keyed_by_the_secret_without_whsec()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1758798328);
        var headers = Headers("45b392b22c3b449fa935bd4dc", 1758798328, DocumentedPayload);
        var body = Encoding.UTF8.GetBytes(DocumentedPayload);
        // Computed independently: hex HMAC-SHA256 keyed by "emulator-test-secret" (the secret after whsec_).
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("emulator-test-secret"));
        var expected = "v3," + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("45b392b22c3b449fa935bd4dc.1758798328." + DocumentedPayload)));
        Assert.Equal(expected, headers["webhook-signature"]);
        Assert.True(WebhookSignature.Verify(headers, body, Secret, now).IsValid);
        // The prefix is stripped, not kept, and the rest is the key as is: keyed by the whole string it does not verify.
        Assert.True(WebhookSignature.Verify(headers, body, "emulator-test-secret", now).IsValid);
        Assert.False(WebhookSignature.Verify(Headers("45b392b22c3b449fa935bd4dc", 1758798328, DocumentedPayload, "whsec_whsec_emulator-test-secret"), body, Secret, now).IsValid);
        // Upper-case hex, several signatures (one valid) and a v1 signature.
        var upper = new Dictionary<string, string>(headers) { ["webhook-signature"] = "v3," + expected[3..].ToUpperInvariant() };
        Assert.True(WebhookSignature.Verify(upper, body, Secret, now).IsValid);
        var several = new Dictionary<string, string>(headers) { ["webhook-signature"] = "v3,00ff " + expected };
        Assert.True(WebhookSignature.Verify(several, body, Secret, now).IsValid);
        var v1 = new Dictionary<string, string>(headers) { ["webhook-signature"] = "v1," + expected[3..] };
        Assert.False(WebhookSignature.Verify(v1, body, Secret, now).IsValid);
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-300, true)]
    [InlineData(-301, false)]
    public void Deliveries_older_or_further_ahead_than_300_seconds_are_refused(int ageSeconds, bool valid)
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var headers = Headers("msg_1", 1_700_000_000, "{}");
        Assert.Equal(valid, WebhookSignature.Verify(headers, body, Secret, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + ageSeconds)).IsValid);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void A_missing_header_does_not_verify(string missing)
    {
        var headers = Headers("msg_1", 1_700_000_000, "{}");
        headers.Remove(headers.Keys.Single(k => k.Equals(missing, StringComparison.OrdinalIgnoreCase)));
        var result = WebhookSignature.Verify(headers, Encoding.UTF8.GetBytes("{}"), Secret, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        Assert.False(result.IsValid);
        Assert.Contains("required", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_comparison_takes_every_byte_into_account()
    {
        Assert.True(WebhookSignature.FixedTimeEquals([1, 2, 3], [1, 2, 3]));
        Assert.False(WebhookSignature.FixedTimeEquals([1, 2, 3], [1, 2, 4]));
        Assert.False(WebhookSignature.FixedTimeEquals([0, 2, 3], [1, 2, 3]));
        Assert.False(WebhookSignature.FixedTimeEquals([1, 2], [1, 2, 3]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_   ")]
    [InlineData("whsec_0123456789abcde")]
    [InlineData("short")]
    public void A_secret_without_16_bytes_of_key_after_whsec_is_refused_naming_Secret(string secret)
    {
        // whsec_ alone left an empty HMAC key: a signature anyone can compute verified.
        var forged = Headers("msg_1", 1_700_000_000, "{}", "whsec_");
        var e = Assert.Throws<GptImageException>(() =>
            WebhookSignature.Verify(forged, Encoding.UTF8.GetBytes("{}"), secret, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        Assert.Equal((GptImageErrorKind.InvalidParameter, "Secret"), (e.Kind, e.ParameterName));
        Assert.Contains("at least 16", e.Message, StringComparison.Ordinal);
        // Sixteen bytes after the prefix are enough.
        var headers = Headers("msg_1", 1_700_000_000, "{}", "whsec_0123456789abcdef");
        Assert.True(WebhookSignature.Verify(headers, Encoding.UTF8.GetBytes("{}"), "whsec_0123456789abcdef", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).IsValid);
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("99999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("-1")]
    [InlineData("1.7e9")]
    [InlineData("0x10")]
    [InlineData(" ")]
    public void A_malformed_or_out_of_range_timestamp_answers_false_with_a_reason(string timestamp)
    {
        var headers = Headers("msg_1", 1_700_000_000, "{}");
        headers["webhook-timestamp"] = timestamp;
        var result = WebhookSignature.Verify(headers, Encoding.UTF8.GetBytes("{}"), Secret, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        Assert.False(result.IsValid);
        Assert.Contains("webhook-", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_second_of_9999_is_a_time_too_far_ahead_not_an_error()
    {
        var headers = Headers("msg_1", 253402300799, "{}");
        var result = WebhookSignature.Verify(headers, Encoding.UTF8.GetBytes("{}"), Secret, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), TimeSpan.FromDays(3650));
        Assert.False(result.IsValid);
        Assert.Contains("in the future", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v3,")]
    [InlineData("v3,zz")]
    [InlineData("v3,abc")]
    [InlineData(",")]
    [InlineData("v3")]
    [InlineData("   v3,00   v1,  ")]
    public void A_malformed_signature_answers_false(string signature)
    {
        var headers = Headers("msg_1", 1_700_000_000, "{}");
        headers["webhook-signature"] = signature;
        Assert.False(WebhookSignature.Verify(headers, Encoding.UTF8.GetBytes("{}"), Secret, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).IsValid);
    }

    [Fact]
    public void A_delivery_is_accepted_again_within_the_window_unless_its_id_is_in_the_callers_set_of_ids_seen()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var headers = Headers("msg_1", 1_700_000_000, "{}");
        // By design, without a set: the same delivery verifies as often as it is sent within the window.
        Assert.True(WebhookSignature.Verify(headers, body, Secret, now).IsValid);
        Assert.True(WebhookSignature.Verify(headers, body, Secret, now.AddSeconds(10)).IsValid);

        var seen = new HashSet<string>();
        // A forged delivery is not remembered: it cannot make the real one look like a replay.
        var forged = new Dictionary<string, string>(headers) { ["webhook-signature"] = "v3,00" };
        Assert.False(WebhookSignature.Verify(forged, body, Secret, now, seenIds: seen).IsValid);
        Assert.Empty(seen);
        Assert.True(WebhookSignature.Verify(headers, body, Secret, now, seenIds: seen).IsValid);
        Assert.Equal(["msg_1"], seen);
        var replay = WebhookSignature.Verify(headers, body, Secret, now.AddSeconds(10), seenIds: seen);
        Assert.False(replay.IsValid);
        Assert.Contains("seen before", replay.Reason, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(Headers("msg_2", 1_700_000_000, "{}"), body, Secret, now, seenIds: seen).IsValid);

        var e = Assert.Throws<GptImageException>(() => WebhookSignature.Verify(headers, body, Secret, now, seenIds: new[] { "msg_0" }));
        Assert.Equal((GptImageErrorKind.InvalidParameter, "SeenId"), (e.Kind, e.ParameterName));
    }
}
