using System.Text.Json;
using System.Text.Json.Nodes;
using GptImage.Emulator;
using GptImage.Http;
using GptImage.Images;
using GptImage.Providers;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Client;

/// <summary>
/// Every model id and body field of shared/api, as the cmdlets' client puts it on the wire: submitted to the
/// emulator (which refuses fields and spellings the pages do not list) and compared, name, spelling and JSON type,
/// with what the pages document.
/// </summary>
public sealed class WireFormatTests
{
    private static readonly ImageSource A = ImageSource.FromUri(new Uri("https://img.example/a.png"));
    private static readonly ImageSource B = ImageSource.FromUri(new Uri("https://img.example/b.png"));
    private static readonly ImageSource M = ImageSource.FromUri(new Uri("https://img.example/m.png"));

    public static TheoryData<string, string, string> WaveSpeedRequests() => new()
    {
        // name, the documented path, the documented body (every field the page lists, with its JSON type)
        { "gpt-image-1 text-to-image", "/api/v3/openai/gpt-image-1/text-to-image",
            """{"prompt":"p","size":"1024*1536","quality":"high","enable_sync_mode":false,"enable_base64_output":false}""" },
        { "gpt-image-1 edit", "/api/v3/openai/gpt-image-1",
            """{"prompt":"p","size":"1536*1024","quality":"low","image":"https://img.example/a.png","mask_image":"https://img.example/m.png","enable_sync_mode":false,"enable_base64_output":false}""" },
        { "gpt-image-1-high-fidelity", "/api/v3/openai/gpt-image-1-high-fidelity",
            """{"prompt":"p","enable_sync_mode":false,"enable_base64_output":true}""" },
        { "gpt-image-1-mini text-to-image", "/api/v3/openai/gpt-image-1-mini/text-to-image",
            """{"prompt":"p","enable_sync_mode":false,"enable_base64_output":false}""" },
        { "gpt-image-1-mini edit", "/api/v3/openai/gpt-image-1-mini/edit",
            """{"prompt":"p","images":["https://img.example/a.png","https://img.example/b.png"],"enable_sync_mode":false,"enable_base64_output":false}""" },
        { "gpt-image-1.5 text-to-image", "/api/v3/openai/gpt-image-1.5/text-to-image",
            """{"prompt":"p","size":"auto","quality":"medium","background":"transparent","enable_sync_mode":true,"enable_base64_output":false}""" },
        { "gpt-image-1.5 edit", "/api/v3/openai/gpt-image-1.5/edit",
            """{"prompt":"p","size":"1024*1024","quality":"high","background":"opaque","input_fidelity":"high","images":["https://img.example/a.png"],"enable_sync_mode":false,"enable_base64_output":false}""" },
    };

    private static ImageRequest WaveSpeedRequest(string name) => name switch
    {
        "gpt-image-1 text-to-image" => new ImageTemplate { Size = "1024x1536", Quality = "high" }.Generate("p"),
        "gpt-image-1 edit" => new ImageTemplate { Prompt = "p", Mask = M, Size = "1536*1024", Quality = "low" }.Edit([A]),
        "gpt-image-1-high-fidelity" => new ImageTemplate { Model = "gpt-image-1-high-fidelity", Base64Output = true }.Generate("p"),
        "gpt-image-1-mini text-to-image" => new ImageTemplate { Model = "gpt-image-1-mini" }.Generate("p"),
        "gpt-image-1-mini edit" => new ImageTemplate { Prompt = "p", Model = "gpt-image-1-mini" }.Edit([A, B]),
        "gpt-image-1.5 text-to-image" => new ImageTemplate { Model = "gpt-image-1.5", Size = "auto", Quality = "medium", Background = "transparent", SyncMode = true }.Generate("p"),
        "gpt-image-1.5 edit" => new ImageTemplate { Prompt = "p", Model = "gpt-image-1.5", Size = "1024x1024", Quality = "high", Background = "opaque", InputFidelity = "high" }.Edit([A]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(WaveSpeedRequests))]
    public async Task Each_WaveSpeed_model_gets_the_documented_path_field_names_spellings_and_types(string name, string path, string documented)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20, SyncTimeoutMs = 5000 });
        var submitted = await h.Client.SubmitAsync(WaveSpeedRequest(name), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(submitted.Id));
        var wire = h.Server.LastSubmit!;
        Assert.Equal(path, wire["path"]!.GetValue<string>());
        AssertSameJson(JsonNode.Parse(documented)!, wire["body"]!);
    }

    [Fact]
    public async Task A_webhook_goes_in_the_webhook_query_parameter_and_loopback_http_is_allowed()
    {
        await using var h = await ClientHarness.StartAsync();
        await h.Client.SubmitAsync(new ImageTemplate { Webhook = new Uri("http://127.0.0.1:9/hook?x=1") }.Generate("p"), CancellationToken.None);
        Assert.Equal("http://127.0.0.1:9/hook?x=1", h.Server.LastSubmit!["query"]!["webhook"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_emulator_refuses_what_the_pages_do_not_list_so_a_wrong_spelling_cannot_pass()
    {
        await using var h = await ClientHarness.StartAsync();
        using var http = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        foreach (var (model, body) in new[]
        {
            ("openai/gpt-image-1/text-to-image", """{"prompt":"p","size":"1024x1536"}"""),
            ("openai/gpt-image-1", """{"prompt":"p","image":"https://a/1","mask":"https://a/m"}"""),
            ("openai/gpt-image-1/text-to-image", """{"prompt":"p","enable_base64_output":"true"}"""),
            ("openai/gpt-image-1-mini/edit", """{"prompt":"p","images":"https://a/1"}"""),
        })
        {
            using var response = await http.PostJsonAsync("api/v3/" + model, body);
            Assert.Equal(400, (int)response.StatusCode);
        }
        Assert.Equal(0, h.Server.Stats.Submits);
    }

    private sealed class ImagesHarness : IAsyncDisposable
    {
        public ClientHarness Inner { get; private init; } = null!;
        public GptImageConnection Connection { get; private init; } = null!;
        public IImageApiClient Client { get; private init; } = null!;

        public static async Task<ImagesHarness> StartAsync(ProviderKind provider)
        {
            var inner = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
            var options = ClientHarness.OptionsFor(inner.Server);
            options.Provider = provider;
            var connection = new GptImageConnection(options);
            return new ImagesHarness { Inner = inner, Connection = connection, Client = connection.CreateClient() };
        }

        public async ValueTask DisposeAsync()
        {
            Connection.Dispose();
            await Inner.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi, """{"model":"openai/gpt-image-1","prompt":"p","n":1,"size":"1024x1536","quality":"high","background":"opaque","moderation":"low","output_format":"jpeg","output_compression":80,"response_format":"b64_json"}""")]
    [InlineData(ProviderKind.OpenAI, """{"model":"gpt-image-1","prompt":"p","n":1,"size":"1024x1536","quality":"high","background":"opaque","moderation":"low","output_format":"jpeg","output_compression":80}""")]
    public async Task Images_API_generations_send_the_documented_JSON_and_response_format_only_to_AIML(ProviderKind provider, string documented)
    {
        await using var h = await ImagesHarness.StartAsync(provider);
        var request = new ImageTemplate { Size = "1024*1536", Quality = "high", Background = "opaque", Provider = provider,
            Output = new ImageOutputOptions { Format = ImageFiles.FormatNamed("jpg"), Compression = 80, Moderation = "low", Count = 1, ResponseFormat = "b64_json" } }.Generate("p");
        var p = await h.Client.SubmitAsync(request, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, p.Status);
        var wire = h.Inner.Server.LastSubmit!;
        Assert.Equal("/v1/images/generations", wire["path"]!.GetValue<string>());
        AssertSameJson(JsonNode.Parse(documented)!, wire["body"]!);
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi, "image", "model,prompt,n,size,quality,background,output_format,output_compression,response_format")]
    [InlineData(ProviderKind.OpenAI, "image[]", "model,prompt,n,size,quality,background,output_format,output_compression,input_fidelity")]
    public async Task Images_API_edits_send_the_documented_multipart_fields_and_never_moderation(ProviderKind provider, string imageField, string fields)
    {
        await using var h = await ImagesHarness.StartAsync(provider);
        var a = h.Inner.WriteImage("a.png", 64, 64);
        var b = h.Inner.WriteImage("b.png", 64, 64);
        var mask = h.Inner.WriteImage("mask.png", 64, 64);
        var request = new ImageTemplate { Prompt = "p", Mask = ImageSource.FromFile(mask), Size = "1024x1024",
            Quality = "low", Background = "auto", InputFidelity = provider == ProviderKind.OpenAI ? "low" : null, Provider = provider,
            Output = new ImageOutputOptions { Format = ImageFormat.WebP, Compression = 50, Count = 1, ResponseFormat = provider == ProviderKind.AimlApi ? "url" : null } }.Edit([ImageSource.FromFile(a), ImageSource.FromFile(b)]);
        var p = await h.Client.SubmitAsync(request, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, p.Status);
        var wire = h.Inner.Server.LastSubmit!;
        Assert.Equal("/v1/images/edits", wire["path"]!.GetValue<string>());
        Assert.Equal(fields.Split(',').Order(), wire["fields"]!.AsObject().Select(f => f.Key).Order());
        Assert.Equal("1024x1024", wire["fields"]!["size"]!.GetValue<string>());
        Assert.Equal("50", wire["fields"]!["output_compression"]!.GetValue<string>());
        Assert.Equal("1", wire["fields"]!["n"]!.GetValue<string>());
        var files = wire["files"]!.AsArray().Select(f => (f!["name"]!.GetValue<string>(), f["content_type"]!.GetValue<string>())).ToList();
        Assert.Equal(new[] { (imageField, "image/png"), (imageField, "image/png"), ("mask", "image/png") }, files);
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi)]
    [InlineData(ProviderKind.OpenAI)]
    public void Moderation_is_refused_on_edits_naming_where_it_applies(ProviderKind provider)
    {
        var e = Assert.Throws<GptImageException>(() => new ImageTemplate { Prompt = "p", Provider = provider,
            Output = new ImageOutputOptions { Moderation = "low" } }.Edit([ImageSource.FromFile("/in/a.png")]));
        Assert.Equal("Moderation", e.ParameterName);
        Assert.Contains("text to image (New-GptImage)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"gpt-image-1 ({provider})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_emulator_refuses_moderation_on_edits_and_unknown_fields_on_generations()
    {
        await using var h = await ClientHarness.StartAsync();
        using var http = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        using var generation = await http.PostJsonAsync("v1/images/generations", """{"model":"openai/gpt-image-1","prompt":"p","mask_image":"x"}""");
        Assert.Equal(400, (int)generation.StatusCode);
        using var typed = await http.PostJsonAsync("v1/images/generations", """{"model":"openai/gpt-image-1","prompt":"p","n":"1"}""");
        Assert.Equal(400, (int)typed.StatusCode);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("openai/gpt-image-1"), "model" },
            { new StringContent("p"), "prompt" },
            { new StringContent("low"), "moderation" },
            { new ByteArrayContent(TestImages.Png(8, 8)), "image", "a.png" },
        };
        using var edit = await http.Http.PostAsync("v1/images/edits", form);
        Assert.Equal(400, (int)edit.StatusCode);
        Assert.Contains("moderation", await edit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_id_is_sent_as_given_with_its_images_as_an_array_and_additional_fields_typed()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new ImageTemplate { Prompt = "p [emulator:extra-fields]", Model = "openai/gpt-image-3/edit", Size = "1536X1024", Quality = "ultra",
            Output = new ImageOutputOptions
            {
                AdditionalParameters = new Dictionary<string, object?>
                {
                    ["seed"] = 42,
                    ["strength"] = 0.5,
                    ["watermark"] = false,
                    ["tags"] = new List<object?> { "a", 1 },
                    ["extra"] = new Dictionary<string, object?> { ["k"] = "v" },
                },
            } }.Edit([A, B]);
        Assert.False(request.Spec.IsKnown);
        Assert.Contains("openai/gpt-image-3/edit", request.Warning, StringComparison.Ordinal);
        Assert.Null(request.PricePerImage);
        var body = JsonNode.Parse(WaveSpeedSubmitter.RequestBody(request, ["https://img.example/a.png", "https://img.example/b.png"], null))!;
        AssertSameJson(JsonNode.Parse("""
            {"prompt":"p [emulator:extra-fields]","size":"1536*1024","quality":"ultra","images":["https://img.example/a.png","https://img.example/b.png"],
             "enable_sync_mode":false,"enable_base64_output":false,"seed":42,"strength":0.5,"watermark":false,"tags":["a",1],"extra":{"k":"v"}}
            """)!, body);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(request, CancellationToken.None));
        // The emulator serves no gpt-image-3: its 404 names the model path the request went to.
        Assert.Equal(GptImageErrorKind.NotFound, e.Kind);
        Assert.Contains("model not found: openai/gpt-image-3/edit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Additional_fields_reach_a_known_model_and_its_local_checks_stay()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new ImageTemplate { Quality = "low",
            Output = new ImageOutputOptions { AdditionalParameters = new Dictionary<string, object?> { ["seed"] = 7L } } }.Generate("p [emulator:extra-fields]");
        await h.Client.SubmitAsync(request, CancellationToken.None);
        Assert.Equal(7, h.Server.LastSubmit!["body"]!["seed"]!.GetValue<long>());
        Assert.Equal("Quality", Assert.Throws<GptImageException>(() => new ImageTemplate { Quality = "ultra" }.Generate("p")).ParameterName);
        foreach (var own in new[] { "size", "Quality", "enable_base64_output", "n", "response_format" })
        {
            var e = Assert.Throws<GptImageException>(() => new ImageTemplate {
                Output = new ImageOutputOptions { AdditionalParameters = new Dictionary<string, object?> { [own] = "x" } } }.Generate("p"));
            Assert.Equal("AdditionalParameter", e.ParameterName);
            Assert.Contains(own, e.Message, StringComparison.Ordinal);
        }
        var nested = Assert.Throws<GptImageException>(() => new ImageTemplate { Prompt = "p", Provider = ProviderKind.OpenAI,
            Output = new ImageOutputOptions { AdditionalParameters = new Dictionary<string, object?> { ["list"] = new List<object?> { 1 } } } }.Edit([ImageSource.FromFile("/a.png")]));
        Assert.Contains("multipart", nested.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Additional_fields_are_written_culture_invariant_as_JSON_and_as_form_text()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("0.5", JsonFields.FormText(0.5));
            Assert.Equal("true", JsonFields.FormText(true));
            Assert.Equal("42", JsonFields.FormText(42L));
            Assert.Equal(string.Empty, JsonFields.FormText(null));
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer)) { JsonFields.Write(json, new List<object?> { 0.5, 1, null, 'c' }); }
            Assert.Equal("[0.5,1,null,\"c\"]", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData(ProviderKind.WaveSpeed, false, "b64_json", "ResponseFormat", "-Base64Output")]
    [InlineData(ProviderKind.AimlApi, true, null, "Base64Output", "-ResponseFormat b64_json")]
    [InlineData(ProviderKind.OpenAI, false, "url", "ResponseFormat", "b64_json only")]
    [InlineData(ProviderKind.AimlApi, false, "png", "ResponseFormat", "url, b64_json")]
    public void Base64_output_and_response_format_are_refused_where_they_do_not_apply_naming_why(ProviderKind provider, bool base64, string? format, string parameter, string text)
    {
        var e = Assert.Throws<GptImageException>(() => new ImageTemplate { Base64Output = base64, Provider = provider,
            Output = new ImageOutputOptions { ResponseFormat = format } }.Generate("p"));
        Assert.Equal(parameter, e.ParameterName);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderKind.WaveSpeed, true, null, true)]
    [InlineData(ProviderKind.WaveSpeed, false, null, false)]
    [InlineData(ProviderKind.AimlApi, false, null, false)]
    [InlineData(ProviderKind.AimlApi, false, "url", false)]
    [InlineData(ProviderKind.AimlApi, false, "b64_json", true)]
    [InlineData(ProviderKind.OpenAI, false, null, true)]
    [InlineData(ProviderKind.OpenAI, false, "b64_json", true)]
    public void Where_they_apply_base64_output_and_response_format_decide_inline_outputs(ProviderKind provider, bool base64, string? format, bool inline) =>
        Assert.Equal(inline, new ImageTemplate { Base64Output = base64, Provider = provider, Output = new ImageOutputOptions { ResponseFormat = format } }.Generate("p").Base64Output);

    private static void AssertSameJson(JsonNode expected, JsonNode actual)
    {
        var e = expected.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value!.GetValueKind(), p.Value.ToJsonString()));
        var a = actual.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value!.GetValueKind(), p.Value.ToJsonString()));
        Assert.Equal(e, a);
    }
}
