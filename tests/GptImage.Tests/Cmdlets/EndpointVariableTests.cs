using System.Security;
using GptImage.Emulator;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Cmdlets;

/// <summary>Endpoints from the environment: -BaseUri, else the provider's variable, else its public address.</summary>
[Collection(ProcessWide.Name)]
public sealed class EndpointVariableTests : ProcessWideStateTest
{
    [Theory]
    [InlineData(ProviderKind.WaveSpeed, "WAVESPEED_BASE_URL", "https://api.wavespeed.ai/")]
    [InlineData(ProviderKind.AimlApi, "AIMLAPI_BASE_URL", "https://api.aimlapi.com/v1/")]
    [InlineData(ProviderKind.OpenAI, "OPENAI_BASE_URL", "https://api.openai.com/v1/")]
    public void A_providers_variable_names_its_endpoint_else_its_public_address(ProviderKind provider, string variable, string builtIn)
    {
        Assert.Equal(variable, ConnectionOptions.EndpointVariable(provider));
        Assert.Equal(new Uri(builtIn), ConnectionOptions.DefaultBaseUri(provider));
        Environment.SetEnvironmentVariable(variable, "https://gateway.example/route/v1");
        Assert.Equal(new Uri("https://gateway.example/route/v1"), ConnectionOptions.DefaultBaseUri(provider));
        Environment.SetEnvironmentVariable(variable, "not a url");
        var e = Assert.Throws<GptImageException>(() => ConnectionOptions.DefaultBaseUri(provider));
        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_http_endpoint_variable_is_refused_like_a_plain_http_BaseUri()
    {
        Environment.SetEnvironmentVariable("OPENAI_BASE_URL", "http://gateway.example/v1");
        var e = Assert.Throws<GptImageException>(() => Session.Resolve(new CallSettings { Provider = ProviderKind.OpenAI, RequireKey = false }));
        Assert.Equal("BaseUri", e.ParameterName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("v1/")]
    public async Task A_one_call_provider_goes_to_its_variables_endpoint_with_or_without_v1(string suffix)
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        Environment.SetEnvironmentVariable("OPENAI_BASE_URL", server.BaseUri + suffix);
        var key = new SecureString();
        foreach (var c in server.Options.ApiKey) { key.AppendChar(c); }
        var client = Session.Resolve(new CallSettings { Provider = ProviderKind.OpenAI, ApiKey = key });
        var made = await client.SubmitAsync(new ImageTemplate { Provider = ProviderKind.OpenAI }.Generate("x"), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, made.Status);
        Assert.Equal(1, server.Stats.ImageGenerations);
    }

}
