using GptImage.Emulator;
using GptImage.Http.Auth;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Client;

/// <summary>Azure OpenAI through the Images API client: deployment routes, the three ways to sign in, and the 401 rule.</summary>
public sealed class AzureOpenAITests
{
    private sealed class Azure : IAsyncDisposable
    {
        private Azure(EmulatorServer server, ConnectionOptions options)
        {
            Server = server;
            Options = options;
            options.Log = line => { lock (Log) { Log.Add(line); } };
            Connection = new GptImageConnection(options);
            Client = Connection.CreateClient();
        }

        public EmulatorServer Server { get; }
        public ConnectionOptions Options { get; }
        public GptImageConnection Connection { get; }
        public IImageApiClient Client { get; }
        public List<string> Log { get; } = new();

        public static async Task<Azure> StartAsync(Func<EmulatorServer, ApiCredential>? credential = null, EmulatorOptions? emulator = null,
            AzureDeployments? deployments = null)
        {
            var server = await EmulatorServer.StartAsync(emulator ?? new EmulatorOptions { InferenceLatencyMs = 0 });
            var options = ClientHarness.OptionsFor(server);
            options.Provider = ProviderKind.AzureOpenAI;
            options.Credential = credential?.Invoke(server) ?? new ApiCredential(server.Options.ApiKey);
            options.Azure = deployments ?? new AzureDeployments(null, null);
            return new Azure(server, options);
        }

        public static ManagedIdentityToken Identity(EmulatorServer server, string? clientId = null) =>
            new(new Uri(server.BaseUri, "_identity/token"), server.Options.IdentityHeader, clientId);

        public async ValueTask DisposeAsync()
        {
            Connection.Dispose();
            await Server.DisposeAsync();
        }
    }

    private static ImageRequest Generate(string prompt = "a lighthouse", string? model = null) =>
        new ImageTemplate { Provider = ProviderKind.AzureOpenAI, Model = model }.Generate(prompt);

    [Fact]
    public async Task A_key_goes_in_the_api_key_header_to_the_deployment_route_with_the_api_version_and_no_model_field()
    {
        await using var azure = await Azure.StartAsync();
        var p = await azure.Client.SubmitAsync(Generate(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, p.Status);
        Assert.True(p.Base64Output);
        Assert.Equal("/openai/deployments/gpt-image-1/images/generations", azure.Server.LastSubmit!["path"]!.GetValue<string>());
        Assert.False(azure.Server.LastSubmit!["body"]!.AsObject().ContainsKey("model"));
        Assert.Equal(1, azure.Server.Stats.ImageGenerations);
        Assert.StartsWith("estimate: published price of gpt-image-1 at 1024x1024, high", p.UsdSource);
        Assert.DoesNotContain(azure.Log, l => l.Contains(azure.Server.Options.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_goes_to_the_deployment_the_map_names_and_an_unmapped_model_is_refused_before_sending()
    {
        var map = new Dictionary<string, string> { ["gpt-image-1"] = "images" };
        await using var azure = await Azure.StartAsync(deployments: new AzureDeployments(map, "2025-04-01-preview"));
        await azure.Client.SubmitAsync(Generate(), CancellationToken.None);
        Assert.Equal("/openai/deployments/images/images/generations", azure.Server.LastSubmit!["path"]!.GetValue<string>());
        var before = azure.Server.Stats;
        var e = await Assert.ThrowsAsync<GptImageException>(() => azure.Client.SubmitAsync(Generate(model: "gpt-image-1-mini"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Contains("gpt-image-1-mini", e.Message);
        Assert.Equal((1, before.Unauthorized), (azure.Server.Stats.ImageGenerations, azure.Server.Stats.Unauthorized));
    }

    [Fact]
    public async Task A_deployment_the_resource_does_not_have_is_a_not_found_error_naming_it()
    {
        await using var azure = await Azure.StartAsync(deployments: new AzureDeployments(new Dictionary<string, string> { ["*"] = "no-such-deployment" }, null));
        var e = await Assert.ThrowsAsync<GptImageException>(() => azure.Client.SubmitAsync(Generate(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.NotFound, e.Kind);
        Assert.Contains("no deployment 'no-such-deployment'", e.Message);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, azure.Server.Stats.ImageGenerations);
    }

    [Theory]
    [InlineData("2024-1x-01")]
    [InlineData("latest")]
    [InlineData("2025-04-01-preview&x=1")]
    public void An_api_version_or_deployment_that_is_not_azure_grammar_is_refused_locally(string version)
    {
        Assert.Equal("ApiVersion", Assert.Throws<GptImageException>(() => new AzureDeployments(null, version)).ParameterName);
        Assert.Equal("Deployment", Assert.Throws<GptImageException>(() => new AzureDeployments(new Dictionary<string, string> { ["*"] = "../" + version }, null)).ParameterName);
    }

    [Fact]
    public async Task An_edit_with_a_mask_is_sent_as_multipart_to_the_edit_route()
    {
        await using var azure = await Azure.StartAsync();
        var folder = Directory.CreateTempSubdirectory("gptimage-azure-").FullName;
        try
        {
            var image = Path.Combine(folder, "a.png");
            var mask = Path.Combine(folder, "m.png");
            File.WriteAllBytes(image, TestImages.Png(64, 64));
            File.WriteAllBytes(mask, TestImages.Png(64, 64));
            var request = new ImageTemplate { Prompt = "a hat", Provider = ProviderKind.AzureOpenAI, Mask = ImageSource.FromFile(mask) }.Edit([ImageSource.FromFile(image)]);
            var p = await azure.Client.SubmitAsync(request, CancellationToken.None);
            Assert.Equal(PredictionStatus.Completed, p.Status);
            Assert.Equal("/openai/deployments/gpt-image-1/images/edits", azure.Server.LastSubmit!["path"]!.GetValue<string>());
            Assert.Contains(azure.Server.LastSubmit!["files"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "mask");
            Assert.Equal(1, azure.Server.Stats.ImageEdits);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task A_managed_identity_token_is_fetched_once_and_sent_as_a_bearer_token()
    {
        await using var azure = await Azure.StartAsync(s => Azure.Identity(s, "11111111-2222-3333-4444-555555555555"));
        for (var i = 0; i < 3; i++) { await azure.Client.SubmitAsync(Generate(), CancellationToken.None); }
        Assert.Equal(3, azure.Server.Stats.ImageGenerations);
        Assert.Equal(1, azure.Server.Stats.IdentityTokens);
        Assert.Equal(0, azure.Server.Stats.Unauthorized);
        Assert.Single(azure.Log, l => l.StartsWith("New access token from the managed identity (11111111-2222-3333-4444-555555555555): expires ", StringComparison.Ordinal));
        Assert.DoesNotContain(azure.Log, l => l.Contains(azure.Server.Options.IdentityHeader, StringComparison.Ordinal) || l.Contains("emu-mi-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_refused_mid_batch_is_renewed_and_each_refused_submit_is_sent_once_more_so_nothing_is_paid_twice()
    {
        // At the 4th request the token expires, long before its expires_on: the rest of the batch finds it refused.
        await using var azure = await Azure.StartAsync(s => Azure.Identity(s), new EmulatorOptions { InferenceLatencyMs = 50, ExpireTokensAfter = 4 });
        var batch = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => azure.Client.SubmitAsync(Generate("frame " + i), CancellationToken.None)));
        Assert.All(batch, p => Assert.Equal(PredictionStatus.Completed, p.Status));
        var stats = azure.Server.Stats;
        Assert.Equal(10, stats.ImageGenerations);
        Assert.True(stats.Unauthorized > 0, "no token expired mid-batch");
        Assert.Equal(2, stats.IdentityTokens);
        Assert.Contains(azure.Log, l => l.Contains("the token was renewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_nearing_its_expiry_is_renewed_before_it_is_sent()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0, TokenLifetimeSec = 600 });
        var now = DateTimeOffset.UtcNow;
        var identity = new ManagedIdentityToken(new Uri(server.BaseUri, "_identity/token"), server.Options.IdentityHeader, null) { Now = () => now };
        var first = await identity.CurrentAsync(CancellationToken.None);
        Assert.Same(first, await identity.CurrentAsync(CancellationToken.None));
        now = now.AddMinutes(4); // 6 minutes left: kept (renewed at 5)
        Assert.Same(first, await identity.CurrentAsync(CancellationToken.None));
        now = now.AddMinutes(2); // 4 minutes left
        Assert.NotSame(first, await identity.CurrentAsync(CancellationToken.None));
        Assert.Equal(2, server.Stats.IdentityTokens);
    }

    [Fact]
    public async Task A_token_refused_again_after_renewal_fails_with_the_identity_advice_after_exactly_two_sends()
    {
        // The identity has no role on the resource: every token it gets is refused.
        await using var azure = await Azure.StartAsync(s => Azure.Identity(s), new EmulatorOptions { InferenceLatencyMs = 0, IdentityRoleAssigned = false });
        var e = await Assert.ThrowsAsync<GptImageException>(() => azure.Client.SubmitAsync(Generate(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("managed identity", e.Message);
        Assert.Equal(2, azure.Server.Stats.Unauthorized);
        Assert.Equal(2, azure.Server.Stats.IdentityTokens);
        Assert.Equal(0, azure.Server.Stats.ImageGenerations);
        Assert.DoesNotContain("emu-mi-", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_arrives_expired_is_refused_at_once_and_the_batch_asks_the_endpoint_once()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0, TokenLifetimeSec = 0 });
        var identity = Azure.Identity(server);
        var failures = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Record.ExceptionAsync(() => identity.CurrentAsync(CancellationToken.None))));
        Assert.All(failures, f => Assert.Contains("already expired", Assert.IsType<GptImageException>(f).Message, StringComparison.Ordinal));
        Assert.Equal(1, server.Stats.IdentityTokens);
    }

    [Fact]
    public async Task An_identity_endpoint_that_refuses_is_asked_once_by_a_whole_batch_and_its_refusal_is_not_called_a_key()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var identity = new ManagedIdentityToken(new Uri(server.BaseUri, "_identity/token"), "not-the-identity-header", null);
        var failures = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Record.ExceptionAsync(() => identity.CurrentAsync(CancellationToken.None))));
        Assert.All(failures, f => Assert.Contains("it refused the request (401)", Assert.IsType<GptImageException>(f).Message, StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f!.Message.Contains("API key", StringComparison.Ordinal));
        Assert.Equal(1, server.Stats.IdentityRequests);
    }

    [Theory]
    [InlineData("http://169.254.129.2:8081/msi/token", true)]
    [InlineData("http://localhost:8081/msi/token", true)]
    [InlineData("https://identity.example.com/token", true)]
    [InlineData("http://10.0.0.4:8081/msi/token", false)]
    [InlineData("http://identity.example.com/token", false)]
    public void The_identity_endpoint_is_https_or_http_on_this_machine_or_link_local(string endpoint, bool taken)
    {
        var made = Record.Exception(() => new ManagedIdentityToken(new Uri(endpoint), "header", null));
        if (taken) { Assert.Null(made); }
        else { Assert.Equal("Identity", Assert.IsType<GptImageException>(made).ParameterName); }
    }

    [Fact]
    public async Task A_refused_access_token_is_not_sent_again_and_the_error_says_how_to_renew_it()
    {
        await using var azure = await Azure.StartAsync(_ => new ApiCredential("expired-token-0123456789", isToken: true));
        var e = await Assert.ThrowsAsync<GptImageException>(() => azure.Client.SubmitAsync(Generate(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("Get-AzAccessToken -ResourceUrl https://cognitiveservices.azure.com", e.Message);
        Assert.Contains("-AccessToken", e.Message);
        Assert.Equal(1, azure.Server.Stats.Unauthorized);
        Assert.DoesNotContain("expired-token-0123456789", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_on_a_submit_is_sent_once_only()
    {
        await using var azure = await Azure.StartAsync(_ => new ApiCredential("wrong-key-0123456789"));
        var e = await Assert.ThrowsAsync<GptImageException>(() => azure.Client.SubmitAsync(Generate(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
        Assert.Equal(1, azure.Server.Stats.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_identity_header_is_an_authentication_error_that_never_shows_it()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var identity = new ManagedIdentityToken(new Uri(server.BaseUri, "_identity/token"), "not-the-identity-header-secret", null);
        var e = await Assert.ThrowsAsync<GptImageException>(() => identity.CurrentAsync(CancellationToken.None));
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
        Assert.DoesNotContain("not-the-identity-header-secret", e.Message, StringComparison.Ordinal);
        Assert.Equal("pre *** post", identity.Redact("pre not-the-identity-header-secret post"));
    }

    [Theory]
    [InlineData("""{"access_token":"a b","expires_on":"1900000000"}""")]
    [InlineData("""{"access_token":"tok\r\nX-Evil: 1","expires_on":"1900000000"}""")]
    [InlineData("""{"access_token":"tok"}""")]
    [InlineData("""{"access_token":"tok","expires_on":"soon"}""")]
    [InlineData("""{"access_token":42,"expires_on":"1900000000"}""")]
    [InlineData("""[]""")]
    public void An_identity_answer_without_a_clean_token_and_expiry_is_refused(string json)
    {
        using var answer = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(GptImageErrorKind.InvalidResponse,
            Assert.Throws<GptImageException>(() => ManagedIdentityToken.Read(answer.RootElement, DateTimeOffset.UtcNow)).Kind);
    }

    [Fact]
    public void An_identity_answer_gives_its_expiry_as_a_number_or_a_string_of_seconds_or_expires_in()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        using var a = System.Text.Json.JsonDocument.Parse("""{"access_token":"eyJ.abc-_","expires_on":"1800003600"}""");
        using var b = System.Text.Json.JsonDocument.Parse("""{"access_token":"t","expires_on":1800003600}""");
        using var c = System.Text.Json.JsonDocument.Parse("""{"access_token":"t","expires_in":"3600"}""");
        Assert.Equal(("eyJ.abc-_", now.AddHours(1)), ManagedIdentityToken.Read(a.RootElement, now));
        Assert.Equal(now.AddHours(1), ManagedIdentityToken.Read(b.RootElement, now).ExpiresOn);
        Assert.Equal(now.AddHours(1), ManagedIdentityToken.Read(c.RootElement, now).ExpiresOn);
    }

    [Theory]
    [InlineData("raw", false)]
    [InlineData("cut", false)]
    [InlineData("raw", true)]
    [InlineData("cut", true)]
    public async Task A_key_or_token_the_service_echoes_in_an_error_never_reaches_the_message(string echo, bool identity)
    {
        await using var azure = await Azure.StartAsync(s => identity ? Azure.Identity(s) : new ApiCredential(s.Options.ApiKey));
        var options = azure.Options.Clone();
        options.BaseUri = new Uri(azure.Server.BaseUri, "_hostile/echo-key=" + echo + "/");
        using var connection = new GptImageConnection(options);
        var e = await Assert.ThrowsAsync<GptImageException>(() => connection.CreateClient().SubmitAsync(Generate(), CancellationToken.None));
        Assert.DoesNotContain(azure.Server.Options.ApiKey, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("emu-mi-", e.Message, StringComparison.Ordinal);
        Assert.Contains("***", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("cut")]
    public async Task An_identity_endpoint_that_echoes_its_header_never_shows_it(string echo)
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var identity = new ManagedIdentityToken(new Uri(server.BaseUri, "_hostile/echo-key=" + echo + "/_identity/token"), server.Options.IdentityHeader, null);
        var e = await Assert.ThrowsAsync<GptImageException>(() => identity.CurrentAsync(CancellationToken.None));
        Assert.DoesNotContain(server.Options.IdentityHeader, e.Message, StringComparison.Ordinal);
        Assert.Equal(GptImageErrorKind.AuthenticationFailed, e.Kind);
    }

    [Fact]
    public void Partial_images_are_refused_on_Azure_OpenAI_where_no_streaming_is_documented()
    {
        var e = Assert.Throws<GptImageException>(() => new ImageTemplate
        {
            Provider = ProviderKind.AzureOpenAI, PartialImages = 2, PartialImagesTo = new GptImage.Files.SaveOptions { Directory = Path.GetTempPath() },
        }.Generate("x"));
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Equal("PartialImages", e.ParameterName);
    }
}
