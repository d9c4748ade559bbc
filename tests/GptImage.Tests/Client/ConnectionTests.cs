using System.Net;
using GptImage.Client;
using GptImage.Emulator;
using GptImage.Tests.Emulator;

namespace GptImage.Tests.Client;

public sealed class ConnectionTests
{
    [Fact]
    public async Task An_explicit_proxy_carries_requests_to_other_hosts()
    {
        await using var proxy = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var options = ClientHarness.OptionsFor(proxy);
        options.Proxy = new WebProxy(proxy.BaseUri) { BypassProxyOnLocal = false };
        using var client = new WaveSpeedClient(options);
        var done = await client.WaitAsync(await client.SubmitAsync(ImageRequest.Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
        // A host name that resolves nowhere: only the proxy (the emulator, which accepts absolute-form requests) can answer.
        var elsewhere = new UriBuilder(done.Outputs[0]) { Scheme = "http", Host = "gptimage-cdn.invalid", Port = 80 }.Uri;
        var folder = Directory.CreateTempSubdirectory("gptimage-tests-").FullName;
        try
        {
            var saved = await client.SaveAsync(new Prediction { Id = done.Id, Status = PredictionStatus.Completed, Outputs = new[] { elsewhere } },
                new SaveOptions { Directory = folder }, CancellationToken.None);
            Assert.True(Assert.Single(saved.Files).Exists);
            Assert.Equal(1, proxy.Stats.Downloads);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_key_is_read_from_WAVESPEED_API_KEY_when_none_is_given()
    {
        var key = "env-key-" + Guid.NewGuid().ToString("N");
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { ApiKey = key, InferenceLatencyMs = 10 });
        var options = ClientHarness.OptionsFor(server);
        options.Credential = null;
        var previous = Environment.GetEnvironmentVariable(ClientOptions.WaveSpeedKeyVariable);
        Environment.SetEnvironmentVariable(ClientOptions.WaveSpeedKeyVariable, key);
        try
        {
            using var client = new WaveSpeedClient(options);
            Assert.NotEmpty((await client.SubmitAsync(ImageRequest.Generate("x"), CancellationToken.None)).Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClientOptions.WaveSpeedKeyVariable, previous);
        }
    }

    [Fact]
    public async Task Without_any_key_the_error_says_how_to_set_one()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions());
        var options = new ClientOptions { BaseUri = server.BaseUri, Provider = ProviderKind.AimlApi };
        using var client = new WaveSpeedClient(options);
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(ImageRequest.Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("AIMLAPI_API_KEY", e.Message);
        Assert.Equal(0, server.Stats.SubmitRequests);
    }

    [Fact]
    public void A_secure_string_key_becomes_a_credential_that_never_shows_itself()
    {
        using var secure = new System.Security.SecureString();
        foreach (var c in "secure-key-0123456789") { secure.AppendChar(c); }
        var credential = ApiCredential.FromSecureString(secure);
        Assert.Equal("sec…(21)", credential.ToString());
        Assert.Equal("a *** b", credential.Redact("a secure-key-0123456789 b"));
    }

    [Fact]
    public async Task Concurrent_waits_report_each_prediction_as_soon_as_it_ends()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 50 });
        using var raw = new EmulatorClient(h.Server);
        var latencies = new[] { 1500, 100, 800 };
        var ids = new List<string>();
        foreach (var latency in latencies)
        {
            ids.Add((await raw.SubmitAsync(task: $"latency={latency}"))["id"]!.GetValue<string>());
        }
        var order = new List<string>();
        await Task.WhenAll(ids.Select(async id =>
        {
            var done = await h.Client.WaitAsync(new GptImage.Prediction { Id = id }, TimeSpan.FromSeconds(10), null, CancellationToken.None);
            lock (order) { order.Add(done.Id); }
        }));
        Assert.Equal(new[] { ids[1], ids[2], ids[0] }, order);
    }
}
