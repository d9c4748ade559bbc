using GptImage.Files;
using GptImage.Requests;

namespace GptImage.Tests.Streaming;

/// <summary>GPT Image 2 in the catalogue and -PartialImages' rules, checked before anything is sent.</summary>
public sealed class GptImage2RulesTests
{
    private static readonly SaveOptions Saving = new() { Directory = Path.GetTempPath() };

    private static ImageRequest OpenAi(string? size = null, string? background = null, int? partials = null, SaveOptions? to = null, int? count = null) =>
        new ImageTemplate
        {
            Provider = ProviderKind.OpenAI, Model = "gpt-image-2", Size = size, Background = background, PartialImages = partials,
            PartialImagesTo = to, Output = new ImageOutputOptions { Count = count },
        }.Generate("a lighthouse");

    [Theory]
    [InlineData(ProviderKind.WaveSpeed, false, "openai/gpt-image-2/text-to-image")]
    [InlineData(ProviderKind.WaveSpeed, true, "openai/gpt-image-2/edit")]
    [InlineData(ProviderKind.OpenAI, false, "gpt-image-2")]
    [InlineData(ProviderKind.OpenAI, true, "gpt-image-2")]
    public void Gpt_image_2_is_known_on_WaveSpeed_and_OpenAI(ProviderKind provider, bool edit, string id)
    {
        var operation = edit ? ImageOperation.Edit : ImageOperation.Generate;
        var spec = ModelCatalog.Get("gpt-image-2", operation, provider);
        Assert.True(spec.IsKnown);
        Assert.Equal(id, spec.ApiModelId);
        // AIML API: no page was found, so the id is sent as given, unchecked.
        Assert.False(ModelCatalog.Get("gpt-image-2", operation, ProviderKind.AimlApi).IsKnown);
    }

    [Theory]
    [InlineData("1536x864")]
    [InlineData("3840x2160")]
    [InlineData("2160x3840")]
    [InlineData("1280x3840")]
    [InlineData("auto")]
    [InlineData("1024*1024")]
    public void OpenAI_takes_flexible_sizes_within_the_documented_rules(string size) =>
        Assert.Equal(size.Replace('*', 'x'), OpenAi(size).Size);

    [Theory]
    [InlineData("1000x1000", "multiple of 16")]
    [InlineData("3840x1024", "beyond 3:1")]
    [InlineData("4096x2304", "longer than 3840")]
    [InlineData("3840x2400", "more pixels")]
    [InlineData("big", "WIDTHxHEIGHT")]
    public void OpenAI_refuses_sizes_outside_them_naming_the_rule(string size, string rule)
    {
        var e = Assert.Throws<GptImageException>(() => OpenAi(size));
        Assert.Equal(("Size", GptImageErrorKind.InvalidParameter), (e.ParameterName, e.Kind));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transparent_background_is_refused_for_gpt_image_2()
    {
        var e = Assert.Throws<GptImageException>(() => OpenAi(background: "transparent"));
        Assert.Contains("auto, opaque", e.Message, StringComparison.Ordinal);
        Assert.Equal("opaque", OpenAi(background: "opaque").Background);
    }

    [Fact]
    public void WaveSpeed_takes_aspect_ratio_and_resolution_and_refuses_size_unmapped()
    {
        var template = new ImageTemplate { Model = "gpt-image-2", AspectRatio = "16:9", Resolution = "2K", Quality = "high" };
        var request = template.Generate("a lighthouse");
        Assert.Equal(("16:9", "2k", "high"), (request.AspectRatio, request.Resolution, request.Quality));
        Assert.Contains("aspect ratio 16:9, resolution 2k", request.Describe(), StringComparison.Ordinal);
        var size = Assert.Throws<GptImageException>(() => (template with { Size = "1024x1024" }).Generate("x"));
        Assert.Contains("-AspectRatio", size.Message, StringComparison.Ordinal);
        Assert.Contains("not mapped", size.Message, StringComparison.Ordinal);
        var ratio = Assert.Throws<GptImageException>(() => (template with { AspectRatio = "7:5" }).Generate("x"));
        Assert.Equal("AspectRatio", ratio.ParameterName);
        var resolution = Assert.Throws<GptImageException>(() => (template with { Resolution = "8k" }).Generate("x"));
        Assert.Contains("1k, 2k, 4k", resolution.Message, StringComparison.Ordinal);
        // Where no model takes them: refused naming the one that does.
        var elsewhere = Assert.Throws<GptImageException>(() => new ImageTemplate { AspectRatio = "1:1" }.Generate("x"));
        Assert.Contains("gpt-image-2 (WaveSpeed)", elsewhere.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_gpt_image_2_request_has_a_price_labelled_an_estimate()
    {
        var wave = ModelCatalog.Get("gpt-image-2", ImageOperation.Edit, ProviderKind.WaveSpeed);
        var (usd, source) = wave.Estimate(null, "high", 1);
        Assert.Equal(0.06m, usd);
        Assert.Contains("from $0.060/run", source, StringComparison.Ordinal);
        // It takes no size: its estimate names the quality only.
        Assert.Contains("gpt-image-2 at high, 1 ×", source, StringComparison.Ordinal);
        var openAi = ModelCatalog.Get("gpt-image-2", ImageOperation.Generate, ProviderKind.OpenAI);
        var (tokens, tokenSource) = openAi.Estimate("auto", "medium", 1, textInput: 100, imageInput: 1000, output: 1000);
        Assert.Equal(((100 * 5m) + (1000 * 8m) + (1000 * 30m)) / 1_000_000m, tokens);
        Assert.StartsWith("estimate:", tokenSource, StringComparison.Ordinal);
        // Without reported tokens, no per-image price is published.
        Assert.Equal((null, null), openAi.Estimate("auto", "medium", 1, null, null, null));
    }

    [Fact]
    public void PartialImages_is_taken_on_OpenAI_and_sent_as_stream_and_partial_images()
    {
        var request = OpenAi(partials: 2, to: Saving);
        Assert.Equal(2, request.PartialImages);
        Assert.Same(Saving, request.PartialImagesTo);
        Assert.Contains("2 partial images", request.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderKind.WaveSpeed)]
    [InlineData(ProviderKind.AimlApi)]
    public void PartialImages_is_refused_where_no_streaming_is_documented_naming_the_provider(ProviderKind provider)
    {
        var e = Assert.Throws<GptImageException>(() =>
            new ImageTemplate { Provider = provider, PartialImages = 1, PartialImagesTo = Saving }.Generate("x"));
        Assert.Equal("PartialImages", e.ParameterName);
        Assert.Contains(provider + " documents no streamed partial images", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenAI", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialImages_needs_a_place_to_save_one_image_and_1_to_3()
    {
        Assert.Contains("-OutputDirectory or -OutFile", Assert.Throws<GptImageException>(() => OpenAi(partials: 1)).Message, StringComparison.Ordinal);
        Assert.Contains("-Count 1", Assert.Throws<GptImageException>(() => OpenAi(partials: 1, to: Saving, count: 2)).Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 3", Assert.Throws<GptImageException>(() => OpenAi(partials: 4, to: Saving)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_image_names_sit_beside_the_final_name()
    {
        var prediction = new Prediction { Id = "img-1", Model = "gpt-image-2" };
        var folder = Path.GetTempPath();
        Assert.Equal(Path.Combine(folder, "img-1-0.partial-1.png"),
            PartialImageFiles.PathFor(new SaveOptions { Directory = folder }, prediction, 1, Images.ImageFormat.Png));
        Assert.Equal(Path.Combine(folder, "cat.partial-0.jpg"),
            PartialImageFiles.PathFor(new SaveOptions { OutFile = Path.Combine(folder, "cat.jpg") }, prediction, 0, Images.ImageFormat.Jpeg));
    }
}
