using System.Security;
using GptImage.Emulator;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Operations;
using GptImage.Providers.WaveSpeed;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Client;

namespace GptImage.Tests.Cmdlets;

/// <summary>The session and the key variables: what every call falls back on, tested in isolation (see <see cref="ProcessWideStateTest"/>).</summary>
[Collection(ProcessWide.Name)]
public sealed class SessionTests : ProcessWideStateTest
{
    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) { secure.AppendChar(c); }
        return secure;
    }

    [Fact]
    public async Task The_key_is_read_from_WAVESPEED_API_KEY_when_none_is_given()
    {
        var key = "env-key-" + Guid.NewGuid().ToString("N");
        // Long enough that the task is still "created" (the first tenth of its run) when the submit is answered,
        // however slow a first call in a fresh test process is.
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { ApiKey = key, InferenceLatencyMs = 60_000 });
        var options = ClientHarness.OptionsFor(server);
        options.Credential = null;
        Environment.SetEnvironmentVariable(ApiCredential.Variable(ProviderKind.WaveSpeed), key);
        // The session resolves the key of a call (ApiCredential.Resolve); a client looks up none itself.
        Session.Connect(options);
        var client = Session.Resolve(new CallSettings());
        var submitted = await client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        Assert.Equal(PredictionStatus.Created, submitted.Status);
        Assert.Equal(1, server.Stats.Submits);
    }

    [Fact]
    public async Task Without_any_key_the_client_error_says_how_to_set_one_and_sends_nothing()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions());
        var options = new ConnectionOptions { BaseUri = server.BaseUri, Provider = ProviderKind.AimlApi };
        using var ownedClient = new OwnedClient(options);
        var client = ownedClient.Client;
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
        Assert.Equal(GptImageException.MissingApiKeyId, e.ErrorId);
        Assert.Contains("AIMLAPI_API_KEY", e.Message);
        Assert.Equal(0, server.Stats.SubmitRequests);
    }

    [Fact]
    public void Without_any_key_the_session_says_how_to_set_one()
    {
        Session.Connect(new ConnectionOptions { Provider = ProviderKind.AimlApi, BaseUri = new Uri("http://127.0.0.1:9/") });
        var e = Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings()));
        Assert.Equal(GptImageException.MissingApiKeyId, e.ErrorId);
        Assert.Contains("AimlApi", e.Message);
        Assert.Contains("AIMLAPI_API_KEY", e.Message);
        Assert.Contains("Connect-GptImage -ApiKey", e.Message);
        var info = GptImage.Operations.ErrorInfo.Of(ApiCredential.Missing(ProviderKind.AimlApi), null);
        Assert.Equal(("GptImage.MissingApiKey", "AuthenticationError"), (info.ErrorId, info.Category));
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi)]
    [InlineData(ProviderKind.OpenAI)]
    public void A_provider_given_for_one_call_is_used_for_that_call_only(ProviderKind other)
    {
        Session.Connect(new ConnectionOptions { BaseUri = new Uri("http://127.0.0.1:9/"), Credential = new ApiCredential("session-key") });
        Assert.Equal(other, Session.Resolve(new CallSettings { Provider = other, RequireKey = false }).Kind);
        using var secure = Secure("call-key");
        Assert.Equal(other, Session.Resolve(new CallSettings { Provider = other, ApiKey = secure }).Kind);
        Assert.Equal(ProviderKind.WaveSpeed, Session.Resolve(new CallSettings { RequireKey = false }).Kind);
        var session = Session.Resolve(new CallSettings());
        Assert.Equal(ProviderKind.WaveSpeed, session.Kind);
    }

    [Fact]
    public void Another_provider_for_one_call_reads_its_own_key_variable()
    {
        Session.Connect(new ConnectionOptions { BaseUri = new Uri("http://127.0.0.1:9/"), Credential = new ApiCredential("session-key") });
        var e = Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings { Provider = ProviderKind.OpenAI }));
        Assert.Equal(GptImageException.MissingApiKeyId, e.ErrorId);
        Assert.Contains("OpenAI", e.Message);
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "openai-env-key");
        var provider = Session.Resolve(new CallSettings { Provider = ProviderKind.OpenAI });
        Assert.Equal(ProviderKind.OpenAI, provider.Kind);
    }

    [Fact]
    public void Without_a_connection_or_a_provider_calls_go_to_WaveSpeed_with_WAVESPEED_API_KEY()
    {
        Assert.Equal(ProviderKind.WaveSpeed, Session.Resolve(new CallSettings { RequireKey = false }).Kind);
        Assert.Equal(GptImageException.MissingApiKeyId, Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings())).ErrorId);
        Environment.SetEnvironmentVariable(ApiCredential.Variable(ProviderKind.WaveSpeed), "wavespeed-env-key");
        var provider = Session.Resolve(new CallSettings());
        Assert.Equal(ProviderKind.WaveSpeed, provider.Kind);
        // The connection opened for that call is the session's: Disconnect-GptImage has one to forget.
        Assert.True(Session.Disconnect());
    }

    [Fact]
    public void Azure_OpenAI_for_one_call_needs_its_endpoint_variable_and_reads_its_key_and_api_version()
    {
        var e = Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings { Provider = ProviderKind.AzureOpenAI, RequireKey = false }));
        Assert.Equal(("BaseUri", GptImageErrorKind.InvalidParameter), (e.ParameterName, e.Kind));
        Assert.Contains("AZURE_OPENAI_ENDPOINT", e.Message);
        Environment.SetEnvironmentVariable("AZURE_OPENAI_ENDPOINT", "https://contoso.openai.azure.com");
        Environment.SetEnvironmentVariable("OPENAI_API_VERSION", "2025-05-01-preview");
        var missing = Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings { Provider = ProviderKind.AzureOpenAI }));
        Assert.Contains("AZURE_OPENAI_API_KEY", missing.Message);
        Assert.Contains("-Identity", missing.Message);
        Environment.SetEnvironmentVariable("AZURE_OPENAI_API_KEY", "azure-env-key");
        Assert.Equal(ProviderKind.AzureOpenAI, Session.Resolve(new CallSettings { Provider = ProviderKind.AzureOpenAI }).Kind);
        Assert.Equal("2025-05-01-preview", AzureDeployments.FromEnvironment().ApiVersion);
    }

    [Fact]
    public void An_api_version_variable_another_tool_set_is_read_by_Azure_OpenAI_only()
    {
        Environment.SetEnvironmentVariable("OPENAI_API_VERSION", "v1");
        Environment.SetEnvironmentVariable("WAVESPEED_API_KEY", "wavespeed-env-key");
        Assert.Equal(ProviderKind.WaveSpeed, Session.Resolve(new CallSettings()).Kind);
        Environment.SetEnvironmentVariable("AZURE_OPENAI_ENDPOINT", "https://contoso.openai.azure.com");
        Environment.SetEnvironmentVariable("AZURE_OPENAI_API_KEY", "azure-env-key");
        Assert.Equal("ApiVersion", Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings { Provider = ProviderKind.AzureOpenAI })).ParameterName);
    }
}
