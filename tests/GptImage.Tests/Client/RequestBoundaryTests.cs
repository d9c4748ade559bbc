using GptImage.Commands.Base;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Http;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;

namespace GptImage.Tests.Client;

/// <summary>
/// What a user or a service gives cannot steer a request: model ids follow one grammar and every URL is built by one
/// builder; -AdditionalParameter cannot reach the fields the module owns, nest without end or break a header; a webhook
/// URL carries no password; server text is cleaned once before it reaches a prediction, a message or a file name.
/// </summary>
public sealed class RequestBoundaryTests
{
    public static TheoryData<string> SteeringModelIds => new()
    {
        "../../api/v3/balance",
        "openai/../../../api/v3/balance",
        "%2e%2e/%2e%2e/api/v3/balance",
        "..\\..\\api\\v3\\balance",
        "openai/gpt-image-1/text-to-image?webhook=https://evil.example/hook",
        "openai/gpt-image-1/text-to-image#/openai/unknown",
        "openai/gpt image",
        "openai//gpt-image-1",
        "openai/gpt-image-1/",
        "./openai",
        "openai/gpt\u0000image",
        "openai/gpt\u202Eimage",
    };

    [Theory]
    [MemberData(nameof(SteeringModelIds))]
    public void A_model_id_outside_the_grammar_is_refused_before_anything_is_sent(string model)
    {
        foreach (var provider in new[] { ProviderKind.WaveSpeed, ProviderKind.AimlApi, ProviderKind.OpenAI })
        {
            var e = Assert.Throws<GptImageException>(() => new ImageTemplate { Model = model, Provider = provider }.Generate("x"));
            Assert.Equal(("GptImage.InvalidParameter", "Model"), (e.ErrorId, e.ParameterName));
            Assert.Contains("Nothing was sent", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(e.Message, c => char.IsControl(c) || c == '\u202E');
        }
    }

    [Theory]
    [InlineData("openai/gpt-image-9/text-to-image")]
    [InlineData("vendor.name/model_v2-beta/edit")]
    [InlineData("gpt-image-9")]
    public void A_model_id_of_the_grammar_the_catalogue_does_not_know_is_sent_as_given(string model)
    {
        var request = new ImageTemplate { Model = model }.Generate("x");
        Assert.False(request.Spec.IsKnown);
        Assert.Equal(model, request.Spec.ApiModelId);
        Assert.Equal("https://api.example/api/v3/" + model, ApiUrl.Root(new Uri("https://api.example/")).Path("api/v3").Path(model).ToString());
    }

    [Fact]
    public async Task Steering_ids_reach_no_endpoint_through_generate_or_edit_not_even_an_upload()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        var image = h.WriteImage("in.png");
        foreach (var model in new[] { "../../api/v3/balance", "openai/x?webhook=https://evil.example/", "openai/gpt-image-1/edit#x" })
        {
            Assert.Throws<GptImageException>(() => new ImageTemplate { Model = model }.Generate("x"));
            Assert.Throws<GptImageException>(() => new ImageTemplate { Prompt = "x", Model = model }.Edit(new[] { ImageSource.FromFile(image) }));
        }
        Assert.Equal(0, h.Server.Stats.Requests);
    }

    [Fact]
    public void The_url_builder_keeps_the_host_and_the_endpoint_and_adds_only_escaped_queries()
    {
        var root = ApiUrl.Root(new Uri("https://api.example/base/"));
        Assert.Equal("https://api.example/base/api/v3/predictions/ab%20c/result",
            root.Path("api/v3/predictions").Segment("ab c").Path("result").ToString());
        var withHook = root.Path("api/v3/m").Query("webhook", "https://hook.example/in?x=1&y=2#f").ToUri();
        Assert.Equal("api.example", withHook.Host);
        Assert.Equal("/base/api/v3/m", withHook.AbsolutePath);
        Assert.Equal("?webhook=https%3A%2F%2Fhook.example%2Fin%3Fx%3D1%26y%3D2%23f", withHook.Query);
        foreach (var segment in new[] { "..", ".", "a/b", "a\\b", "a?b", "a#b", "a%2fb", "" })
        {
            Assert.Throws<ArgumentException>(() => root.Segment(segment));
        }
        foreach (var path in new[] { "../x", "a/../b", "a?b", "a#b", "a%2e", "a\\b", "/a", "a/", "a b" })
        {
            Assert.Throws<ArgumentException>(() => root.Path(path));
        }
    }

    [Fact]
    public async Task A_submit_goes_to_the_models_route_with_the_webhook_as_one_escaped_query_field()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        await using var hook = await WebhookReceiver.StartAsync();
        var url = new Uri(hook.Url + "?run=1&from=gptimage");
        await h.Client.SubmitAsync(new ImageTemplate { Webhook = url }.Generate("x"), CancellationToken.None);
        var delivery = await hook.Received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("?run=1&from=gptimage", delivery.Query);
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("WebHook")]
    [InlineData("enable_sync_mode")]
    [InlineData("enable_anything_new")]
    [InlineData("stream")]
    [InlineData("partial_images")]
    [InlineData("prompt")]
    [InlineData("mask_image")]
    public void Additional_fields_cannot_name_a_field_the_module_owns(string name)
    {
        var e = Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { [name] = "https://evil.example/" }));
        Assert.Equal(("GptImage.InvalidParameter", "AdditionalParameter"), (e.ErrorId, e.ParameterName));
    }

    [Theory]
    [InlineData("seed\r\nX-Injected: 1")]
    [InlineData("a\"b")]
    [InlineData("a'b")]
    [InlineData("a\\b")]
    [InlineData("tab\there")]
    public void Additional_field_names_with_controls_or_quotes_are_refused_on_every_route(string name)
    {
        foreach (var provider in new[] { ProviderKind.WaveSpeed, ProviderKind.OpenAI })
        {
            var e = Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { [name] = 1 }, provider));
            Assert.Equal("AdditionalParameter", e.ParameterName);
            var nested = Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["extra"] = new Dictionary<string, object?> { [name] = 1 } }));
            Assert.Equal("AdditionalParameter", nested.ParameterName);
        }
    }

    [Fact]
    public void Additional_fields_nest_at_most_16_deep_and_never_contain_themselves()
    {
        Assert.NotNull(Generate(new Dictionary<string, object?> { ["deep"] = Nested(16) }));
        var deep = Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["deep"] = Nested(17) }));
        Assert.Contains("16 deep", deep.Message, StringComparison.Ordinal);
        Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["deep"] = Nested(3000) }));

        var self = new System.Collections.Hashtable();
        self["me"] = self;
        var cycle = Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["loop"] = self }));
        Assert.Contains("contains itself", cycle.Message, StringComparison.Ordinal);
        var list = new List<object?>();
        list.Add(list);
        Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["loop"] = list }));
    }

    [Fact]
    public void Additional_fields_are_at_most_64_KB_and_only_values_JSON_can_carry()
    {
        Assert.NotNull(Generate(new Dictionary<string, object?> { ["notes"] = new string('x', 60 * 1024) }));
        var big = Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["notes"] = new string('x', 65 * 1024) }));
        Assert.Contains("65536", big.Message, StringComparison.Ordinal);
        Assert.NotNull(Generate(new Dictionary<string, object?> { ["a"] = new List<object?> { 1, "x", true, null, 0.5 } }));
        foreach (var value in new object?[] { new object(), double.NaN, double.PositiveInfinity, new System.Collections.Hashtable { [1] = "key is not a string" } })
        {
            Assert.Equal("AdditionalParameter", Assert.Throws<GptImageException>(() => Generate(new Dictionary<string, object?> { ["v"] = value })).ParameterName);
        }
        // A multipart edit takes scalars only.
        var e = Assert.Throws<GptImageException>(() => new ImageTemplate { Prompt = "x", Provider = ProviderKind.OpenAI, Output = new ImageOutputOptions { AdditionalParameters = new Dictionary<string, object?> { ["list"] = new List<object?> { 1 } } } }.Edit(new[] { ImageSource.FromUri(new Uri("https://example.net/a.png")) }));
        Assert.Equal("AdditionalParameter", e.ParameterName);
    }

    [Theory]
    [InlineData("https://user:s3cret-pass@hooks.example/in")]
    [InlineData("https://token@hooks.example/in")]
    [InlineData("http://user:s3cret-pass@remote.example/in")]
    public void A_webhook_url_with_user_info_is_refused_without_showing_it(string url)
    {
        var e = Assert.Throws<GptImageException>(() => new ImageTemplate { Webhook = new Uri(url) }.Generate("x"));
        Assert.Equal(("GptImage.InvalidParameter", "WebhookUri"), (e.ErrorId, e.ParameterName));
        Assert.Contains("user:pass@", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\r\u0008task failed", "red  task failed")]
    [InlineData("a\u009b31mb", "ab")]
    [InlineData("bell\u0007 and C1\u0085 next", "bell  and C1  next")]
    [InlineData("\u202Egnp.exe", "gnp.exe")]
    [InlineData("iso\u2066late\u2069d \u200Ezero\u200Bwidth\u200C\u200D\u2060\uFEFF", "isolated zerowidth")]
    [InlineData("cut \u001b[", "cut ")]
    public void The_one_text_cleaner_drops_escapes_bidi_and_zero_width_and_spaces_other_controls(string text, string clean) =>
        Assert.Equal(clean, Untrusted.Text(text));

    [Fact]
    public void Server_text_that_reaches_a_file_name_is_cleaned_first()
    {
        var prediction = new Prediction { Id = "abc", Model = "gpt\u202Egnp.exe\u200B" };
        Assert.Equal("gptgnp.exe-0", FileNameTemplate.Expand("{model}-{index}", prediction, 0));
    }

    [Fact]
    public void A_message_quoting_the_service_is_cleaned_whoever_builds_it() =>
        Assert.Equal("said  red", GptImage.Commands.Base.ErrorRecords.From(new GptImageException(GptImageErrorKind.TaskFailed, "said \u001b[31m\u0007red"), null).ErrorDetails.Message);

    [Fact]
    public async Task Every_text_of_an_answer_and_of_a_history_item_is_cleaned()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 }, ClientHarness.Hostile("text=control"));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Size = "1024x1024", Quality = "low" }.Generate("a fox"), CancellationToken.None);
        var final = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(20), null, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, final.Status);
        var history = await h.Client.Account.ListAsync(new HistoryQuery(), CancellationToken.None);
        var item = Assert.Single(history);
        Assert.Equal(PredictionStatus.Completed, item.Status);
        foreach (var text in new[] { final.ModelId, item.Model, item.ModelId, item.Prompt, item.Size, item.Quality, item.Status })
        {
            Assert.False(string.IsNullOrEmpty(text));
            Assert.DoesNotContain(text!, c => char.IsControl(c) || c is '\u202E' or '\u200B' or '\u200D' or '\u2066');
        }
    }

    [Fact]
    public void Every_text_of_a_webhook_delivery_is_cleaned()
    {
        var body = WebhookTests.DocumentedPayload
            .Replace("\"completed\"", "\"completed\\u200B\"", StringComparison.Ordinal)
            .Replace("openai/gpt-image-1/text-to-image", "openai/gpt-image-1/text-to-image\\u001b[31m\\u202E", StringComparison.Ordinal)
            .Replace("vibrant colors", "vibrant colors\\u001b]0;pwned\\u0007\\u0085", StringComparison.Ordinal)
            .Replace("1536*1024", "1536*1024\\u2066", StringComparison.Ordinal)
            .Replace("\"high\"", "\"high\\u0007\"", StringComparison.Ordinal);
        var prediction = WaveSpeedPredictions.FromWebhook(body);
        Assert.Equal(PredictionStatus.Completed, prediction.Status);
        Assert.Equal("openai/gpt-image-1/text-to-image", prediction.ModelId);
        Assert.Equal("Octopus vs. crab chess game, underwater setting, vibrant colors ", prediction.Prompt);
        Assert.Equal("1536x1024", prediction.Size);
        Assert.Equal("high ", prediction.Quality);
    }

    private static ImageRequest Generate(IReadOnlyDictionary<string, object?> fields, ProviderKind provider = ProviderKind.WaveSpeed) =>
        new ImageTemplate { Provider = provider, Output = new ImageOutputOptions { AdditionalParameters = fields } }.Generate("x");

    private static Dictionary<string, object?> Nested(int depth)
    {
        var root = new Dictionary<string, object?>();
        var current = root;
        for (var i = 1; i < depth; i++)
        {
            var next = new Dictionary<string, object?>();
            current["n"] = next;
            current = next;
        }
        return root;
    }
}
