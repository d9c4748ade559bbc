using GptImage.Files;
using GptImage.Http;
using GptImage.Images;
using GptImage.Providers;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;

namespace GptImage.Tests.Client;

public sealed class RequestValidationTests
{
    private static GptImageException Invalid(Func<ImageRequest> build)
    {
        var e = Assert.Throws<GptImageException>(() => build());
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Equal("GptImage.InvalidParameter", e.ErrorId);
        return e;
    }

    private static readonly ImageSource Url = ImageSource.FromUri(new Uri("https://img.example/a.png"));

    [Theory]
    [InlineData("gpt-image-1", "512x512", "Size", "1024x1024, 1024x1536, 1536x1024")]
    [InlineData("gpt-image-1", "auto", "Size", "1024x1024, 1024x1536, 1536x1024")]
    [InlineData("gpt-image-1.5", "2048x2048", "Size", "auto, 1024x1024")]
    public void An_unknown_size_names_the_parameter_and_the_allowed_values(string model, string size, string parameter, string allowed)
    {
        var e = Invalid(() => new ImageTemplate { Model = model, Size = size }.Generate("x"));
        Assert.Equal(parameter, e.ParameterName);
        Assert.Contains(allowed, e.Message);
        Assert.Contains(model, e.Message);
    }

    [Fact]
    public void An_unknown_quality_names_the_allowed_values()
    {
        var e = Invalid(() => new ImageTemplate { Quality = "ultra" }.Generate("x"));
        Assert.Equal("Quality", e.ParameterName);
        Assert.Contains("low, medium, high", e.Message);
    }

    [Theory]
    [InlineData("gpt-image-1-mini", "Size")]
    [InlineData("gpt-image-1-high-fidelity", "Quality")]
    [InlineData("gpt-image-1", "Background")]
    public void A_parameter_the_model_does_not_take_is_refused_naming_models_that_do(string model, string parameter)
    {
        var e = Invalid(() => new ImageTemplate { Model = model, Size = parameter == "Size" ? "1024x1024" : null, Quality = parameter == "Quality" ? "low" : null, Background = parameter == "Background" ? "opaque" : null }.Generate("x"));
        Assert.Equal(parameter, e.ParameterName);
        Assert.Contains("does not take", e.Message);
    }

    [Fact]
    public void Prompt_is_required_and_at_most_32000_characters()
    {
        Assert.Equal("Prompt", Invalid(() => new ImageTemplate().Generate("  ")).ParameterName);
        Assert.Contains("32000", Invalid(() => new ImageTemplate().Generate(new string('a', 32001))).Message);
        Assert.Equal(32000, new ImageTemplate().Generate(new string('a', 32000)).Prompt.Length);
    }

    [Fact]
    public void Unknown_models_and_operations_a_model_lacks_are_refused()
    {
        Assert.Contains("does not support editing", Invalid(() => new ImageTemplate { Prompt = "x", Model = "gpt-image-1-high-fidelity" }.Edit([Url])).Message);
        Assert.Contains("gpt-image-1, gpt-image-1-mini, gpt-image-1.5", Invalid(() => new ImageTemplate { Prompt = "x", Model = "openai/gpt-image-1-high-fidelity" }.Edit([Url])).Message);
    }

    [Fact]
    public void Image_counts_follow_each_model()
    {
        Assert.Contains("exactly 1 image", Invalid(() => new ImageTemplate { Prompt = "x" }.Edit([Url, Url])).Message);
        Assert.Contains("1 to 4 images", Invalid(() => new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit(Enumerable.Repeat(Url, 5))).Message);
        Assert.Contains("0 given", Invalid(() => new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit([])).Message);
        Assert.Equal(4, new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit(Enumerable.Repeat(Url, 4)).Images.Count);
        Assert.Equal(16, new ImageTemplate { Prompt = "x", Model = "gpt-image-1.5" }.Edit(Enumerable.Repeat(Url, 16)).Images.Count);
    }

    [Fact]
    public void Only_gpt_image_1_edit_takes_a_mask_and_only_1_5_input_fidelity()
    {
        Assert.Equal("Mask", Invalid(() => new ImageTemplate { Prompt = "x", Mask = Url, Model = "gpt-image-1-mini" }.Edit([Url])).ParameterName);
        Assert.NotNull(new ImageTemplate { Prompt = "x", Mask = Url }.Edit([Url]).Mask);
        Assert.Equal("InputFidelity", Invalid(() => new ImageTemplate { Prompt = "x", InputFidelity = "high" }.Edit([Url])).ParameterName);
        Assert.Equal("high", new ImageTemplate { Prompt = "x", Model = "gpt-image-1.5", InputFidelity = "HIGH" }.Edit([Url]).InputFidelity);
    }

    [Fact]
    public void Webhooks_must_be_https_or_loopback_and_cannot_carry_base64_output()
    {
        Assert.Equal("WebhookUri", Invalid(() => new ImageTemplate { Webhook = new Uri("http://hook.example/") }.Generate("x")).ParameterName);
        Assert.Contains("base64", Invalid(() => new ImageTemplate { Base64Output = true, Webhook = new Uri("https://hook.example/") }.Generate("x")).Message);
        Assert.Equal(new Uri("http://127.0.0.1:8080/hook"), new ImageTemplate { Webhook = new Uri("http://127.0.0.1:8080/hook") }.Generate("x").Webhook);
        Assert.Equal(new Uri("https://hook.example/"), new ImageTemplate { Webhook = new Uri("https://hook.example/") }.Generate("x").Webhook);
        Assert.Contains("WaveSpeed", Invalid(() => new ImageTemplate { Webhook = new Uri("https://hook.example/"), Provider = ProviderKind.AimlApi }.Generate("x")).Message);
    }

    [Fact]
    public void A_non_http_uri_input_is_refused()
    {
        var e = Assert.Throws<GptImageException>(() => ImageSource.FromUri(new Uri("ftp://a/b.png")));
        Assert.Equal("Uri", e.ParameterName);
    }

    [Fact]
    public void Sizes_are_normalized_and_sent_with_each_models_separator()
    {
        var generate = new ImageTemplate { Size = "1024*1536" }.Generate("x");
        Assert.Equal("1024x1536", generate.Size);
        Assert.Contains("\"size\":\"1024*1536\"", WaveSpeedSubmitter.RequestBody(generate, [], null));
        Assert.Contains("\"size\":\"1536*1024\"", WaveSpeedSubmitter.RequestBody(new ImageTemplate { Size = "1536X1024" }.Generate("x"), [], null));
        var edit = new ImageTemplate { Prompt = "x", Size = "1536x1024" }.Edit([Url]);
        Assert.Contains("\"size\":\"1536*1024\"", WaveSpeedSubmitter.RequestBody(edit, ["https://img.example/a.png"], "https://img.example/m.png"));
        Assert.Contains("\"mask_image\":\"https://img.example/m.png\"", WaveSpeedSubmitter.RequestBody(edit, ["https://img.example/a.png"], "https://img.example/m.png"));
        var mini = new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit([Url, Url]);
        Assert.Contains("\"images\":[\"u1\",\"u2\"]", WaveSpeedSubmitter.RequestBody(mini, ["u1", "u2"], null));
    }

    [Fact]
    public void The_description_names_base64_the_webhook_without_its_query_and_an_unknown_models_values()
    {
        Assert.Contains(", base64 output,", new ImageTemplate { Base64Output = true }.Generate("x").Describe());
        var hooked = new ImageTemplate { Webhook = new Uri("https://hooks.example/in?token=secret") }.Generate("x").Describe();
        Assert.Contains("webhook https://hooks.example/in", hooked);
        Assert.DoesNotContain("secret", hooked);
        var unknown = new ImageTemplate { Model = "openai/gpt-image-3/text-to-image", Size = "2048*2048", Quality = "ultra" }.Generate("x").Describe();
        Assert.Contains("size 2048x2048, quality ultra, price not published", unknown);
    }

    [Fact]
    public void The_description_tells_input_images_from_images_asked_for()
    {
        Assert.Contains(", 2 input images,", new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit([Url, Url]).Describe());
        Assert.Contains(", 1 input image,", new ImageTemplate { Prompt = "x" }.Edit([Url]).Describe());
        var several = new ImageTemplate { Provider = ProviderKind.OpenAI, Output = new ImageOutputOptions { Count = 3 } }.Generate("x").Describe();
        Assert.Contains(", 3 images per request,", several);
        Assert.DoesNotContain("input", several);
    }

    [Theory]
    [InlineData("low", "1024x1024", 0.011)]
    [InlineData("medium", "1536x1024", 0.063)]
    [InlineData("high", "1024x1536", 0.25)]
    public void The_public_price_is_known_per_size_and_quality(string quality, string size, double price)
    {
        var request = new ImageTemplate { Size = size, Quality = quality }.Generate("x");
        Assert.Equal((decimal)price, request.PricePerImage);
        Assert.Contains($"${price:0.000} per image", request.Describe());
        Assert.Null(new ImageTemplate { Model = "gpt-image-1.5" }.Generate("x").PricePerImage);
    }

    [Theory]
    [InlineData("completed", true)]
    [InlineData("failed", true)]
    [InlineData("cancelled", true)]
    [InlineData("timeout", true)]
    [InlineData("deleted", true)]
    [InlineData("created", false)]
    [InlineData("processing", false)]
    public void Every_final_status_is_final(string status, bool final) => Assert.Equal(final, PredictionStatus.IsFinal(status));

    [Theory]
    [InlineData("http://api.example.com/", false)]
    [InlineData("https://api.example.com/", true)]
    [InlineData("http://127.0.0.1:5199/", true)]
    [InlineData("http://localhost:5199/", true)]
    [InlineData("http://[::1]:5199/", true)]
    public void A_key_is_only_sent_over_https_or_to_loopback(string baseUri, bool allowed)
    {
        var options = new ConnectionOptions { BaseUri = new Uri(baseUri) };
        if (allowed) { options.Validate(); }
        else { Assert.Equal("BaseUri", Assert.Throws<GptImageException>(options.Validate).ParameterName); }
    }

    [Theory]
    [InlineData("cat.png", "png", true)]
    [InlineData("cat.PNG", "png", true)]
    [InlineData("cat.jpg", "jpeg", true)]
    [InlineData("cat.jpeg", "jpeg", true)]
    [InlineData("cat.webp", "webp", true)]
    [InlineData("cat.img", "png", true)]
    [InlineData("cat", "webp", true)]
    [InlineData("cat.jpg", "png", false)]
    [InlineData("cat.png", "webp", false)]
    public void An_OutFile_extension_must_name_the_format_the_answer_has(string outFile, string answerFormat, bool allowed)
    {
        var options = new SaveOptions { OutFile = Path.Combine("out", outFile) };
        if (allowed) { options.CheckOutFileFormat(ImageFiles.FormatNamed(answerFormat)); }
        else
        {
            var e = Assert.Throws<GptImageException>(() => options.CheckOutFileFormat(ImageFiles.FormatNamed(answerFormat)));
            Assert.Equal("OutFile", e.ParameterName);
            Assert.Contains(answerFormat, e.Message, StringComparison.Ordinal);
        }
        new SaveOptions { Directory = "out" }.CheckOutFileFormat(ImageFiles.FormatNamed(answerFormat));
    }

    [Fact]
    public void A_template_with_an_unknown_placeholder_is_refused_naming_the_known_ones()
    {
        var e = Assert.Throws<GptImageException>(() => FileNameTemplate.Validate("{id}-{nope}"));
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Equal("FileNameTemplate", e.ParameterName);
        Assert.Contains("{nope}", e.Message, StringComparison.Ordinal);
        Assert.Contains("{id}, {index}, {source}, {model}, {date}", e.Message, StringComparison.Ordinal);
        FileNameTemplate.Validate("{ID}-{Index}");
        FileNameTemplate.Validate(null);
    }

    [Fact]
    public void OutputDirectory_and_OutFile_together_are_refused()
    {
        var e = Assert.Throws<GptImageException>(() => SaveOptions.FromParameters("/out", "/out/one.png", null, force: false));
        Assert.Equal((GptImageErrorKind.InvalidParameter, "OutFile"), (e.Kind, e.ParameterName));
        Assert.Equal("Give -OutputDirectory or -OutFile, not both.", e.Message);
    }

    [Theory]
    [InlineData("/out", null, null, false)]
    [InlineData(null, "/out/one.png", null, true)]
    [InlineData("/out", null, "{model}-{index}", true)]
    public void The_save_parameters_become_the_save_options_with_Force_as_overwrite(string? directory, string? outFile, string? template, bool force)
    {
        var save = SaveOptions.FromParameters(directory, outFile, template, force)!;
        Assert.Equal((directory, outFile, template, force), (save.Directory, save.OutFile, save.FileNameTemplate, save.Overwrite));
    }

    [Fact]
    public void Without_an_output_location_nothing_is_saved_and_a_bad_template_is_refused_first()
    {
        Assert.Null(SaveOptions.FromParameters(null, null, "{id}", force: true));
        Assert.Equal("FileNameTemplate", Assert.Throws<GptImageException>(() => SaveOptions.FromParameters("/out", null, "{nope}", force: false)).ParameterName);
    }

    [Fact]
    public void Placeholders_are_case_insensitive()
    {
        var prediction = new GptImage.Prediction { Id = "abc", Model = "gpt-image-1" };
        Assert.Equal("abc-2-gpt-image-1", FileNameTemplate.Expand("{ID}-{Index}-{MODEL}", prediction, 2));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("{id}-{index}", null, null)]
    [InlineData("{Id}", "/in/a.png", null)]
    [InlineData("cat-{index}", null, "cat-{index}|")]
    [InlineData("{source}edited", "/in/a.png", "{source}edited|a")]
    public void A_template_without_id_gives_every_prediction_of_a_source_the_same_name(string? template, string? source, string? key)
    {
        var options = new SaveOptions { Directory = "/out", FileNameTemplate = template };
        Assert.Equal(key, options.SharedName(source));
        Assert.Equal("/out/one.png", new SaveOptions { OutFile = "/out/one.png" }.SharedName(source));
    }

    [Theory]
    [InlineData("../../etc/passwd", "{source}{id}-{index}")]
    [InlineData("/abs/evil", "{id}")]
    [InlineData("a\\..\\b", "..{id}..")]
    [InlineData("x", "../{id}/{index}")]
    public void File_names_from_templates_never_leave_their_folder(string id, string template)
    {
        var prediction = new GptImage.Prediction { Id = id, SourcePath = "/tmp/../../shot.png", Model = "gpt-image-1" };
        var name = FileNameTemplate.Expand(template, prediction, 0);
        Assert.DoesNotContain("..", name);
        Assert.DoesNotContain("/", name);
        Assert.DoesNotContain("\\", name);
        var folder = Path.GetFullPath("out");
        Assert.StartsWith(folder + Path.DirectorySeparatorChar, Path.GetFullPath(Path.Combine(folder, name + ".png")));
    }

    [Theory]
    [InlineData(null, ProviderKind.WaveSpeed, "1024x1024", "medium")]
    [InlineData("gpt-image-1-mini", ProviderKind.WaveSpeed, null, null)]
    [InlineData(null, ProviderKind.OpenAI, "1024x1024", "medium")]
    public void A_prediction_asked_with_the_defaults_carries_the_size_and_quality_it_is_priced_at(string? model, ProviderKind provider, string? size, string? quality)
    {
        var asked = new ImageTemplate { Model = model, Provider = provider }.Generate("x").Asked;
        Assert.Equal((size, quality), (asked.Size, asked.Quality));
        Assert.Equal(("1536x1024", "low"), (new ImageTemplate { Size = "1536*1024", Quality = "LOW" }.Generate("x").Asked is var p ? (p.Size, p.Quality) : default));
    }

    [Fact]
    public void An_edit_asked_with_the_defaults_carries_the_model_default_size() =>
        Assert.Equal(("auto", "medium"), new ImageTemplate { Prompt = "x" }.Edit([ImageSource.FromUri(new Uri("https://example.com/a.png"))]).Asked is var p ? (p.Size, p.Quality) : default);
}
