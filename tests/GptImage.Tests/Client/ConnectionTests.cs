using System.Net;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;
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
        using var ownedClient = new OwnedClient(options);
        var client = ownedClient.Client;
        var done = await client.WaitAndSaveAsync(await client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
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
        // The slow task cannot end while the test runs: the fast wait ending first is not a race of latencies.
        var slow = (await raw.SubmitAsync(task: "latency=600000"))["id"]!.GetValue<string>();
        var fast = (await raw.SubmitAsync(task: "latency=100"))["id"]!.GetValue<string>();
        using var cts = new CancellationTokenSource();
        var slowWait = h.Client.WaitAndSaveAsync(new GptImage.Prediction { Id = slow }, TimeSpan.FromMinutes(10), null, cts.Token);
        var fastWait = h.Client.WaitAndSaveAsync(new GptImage.Prediction { Id = fast }, TimeSpan.FromMinutes(10), null, CancellationToken.None);
        var done = await fastWait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((fast, PredictionStatus.Completed), (done.Id, done.Status));
        Assert.False(slowWait.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slowWait);
    }
}
