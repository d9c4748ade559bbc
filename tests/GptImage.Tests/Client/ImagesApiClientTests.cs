using GptImage.Emulator;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Images;
using GptImage.Providers.ImagesApi;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Client;

public sealed class ImagesApiClientTests
{
    private sealed class Harness : IAsyncDisposable
    {
        private readonly ClientHarness _inner;

        private Harness(ClientHarness inner, ProviderKind provider, Action<ConnectionOptions>? configure)
        {
            _inner = inner;
            var options = ClientHarness.OptionsFor(inner.Server, Log);
            options.Provider = provider;
            configure?.Invoke(options);
            Connection = new GptImageConnection(options);
            Client = Connection.CreateClient();
        }

        public List<string> Log { get; } = new();
        public GptImageConnection Connection { get; }
        public IImageApiClient Client { get; }
        public EmulatorServer Server => _inner.Server;
        public string Folder => _inner.Folder;
        public string WriteImage(string name, int width = 64, int height = 48) => _inner.WriteImage(name, width, height);
        public SaveOptions Save() => _inner.Save();

        public static async Task<Harness> StartAsync(ProviderKind provider, EmulatorOptions? emulator = null, Action<ConnectionOptions>? configure = null) =>
            new(await ClientHarness.StartAsync(emulator ?? new EmulatorOptions { InferenceLatencyMs = 0 }), provider, configure);

        public async ValueTask DisposeAsync()
        {
            Connection.Dispose();
            await _inner.DisposeAsync();
        }
    }

    private static ImageRequest Generate(ProviderKind provider, string prompt = "a fox", string? size = null, ImageOutputOptions? output = null, bool base64 = false) =>
        new ImageTemplate { Size = size, Provider = provider,
            Output = base64 ? new ImageOutputOptions { ResponseFormat = "b64_json", Count = output?.Count, Format = output?.Format, Compression = output?.Compression } : output }.Generate(prompt);

    [Theory]
    [InlineData(ProviderKind.AimlApi, "jpeg", ".jpg", false)]
    [InlineData(ProviderKind.AimlApi, "webp", ".webp", false)]
    [InlineData(ProviderKind.OpenAI, "jpeg", ".jpg", true)]
    [InlineData(ProviderKind.OpenAI, "webp", ".webp", true)]
    public async Task Jpeg_and_webp_outputs_are_saved_under_their_own_extension_and_decode(ProviderKind provider, string format, string extension, bool base64)
    {
        await using var h = await Harness.StartAsync(provider);
        var p = await h.Client.SubmitAsync(Generate(provider, size: "1024x1536", output: new ImageOutputOptions { Format = ImageFiles.FormatNamed(format), Compression = 60 }, base64: base64), CancellationToken.None);
        var saved = Assert.Single((await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(30), h.Save(), CancellationToken.None)).Files);
        Assert.Equal(extension, saved.Extension);
        using var image = SixLabors.ImageSharp.Image.Load(saved.FullName, out var decoder);
        Assert.Equal((format, 1024, 1536), (decoder.DefaultMimeType.Split('/')[1], image.Width, image.Height));
        Assert.Equal(("1024x1536", "medium"), (p.Size, p.Quality));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    public async Task A_transparent_background_is_saved_with_clear_pixels(string format)
    {
        await using var h = await Harness.StartAsync(ProviderKind.OpenAI);
        var request = new ImageTemplate { Background = "transparent", Provider = ProviderKind.OpenAI, Output = new ImageOutputOptions { Format = ImageFiles.FormatNamed(format) } }.Generate("a logo");
        var p = await h.Client.SubmitAsync(request, CancellationToken.None);
        var saved = Assert.Single((await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None)).Files);
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(saved.FullName);
        Assert.Equal(0, image[0, 0].A);
        Assert.Equal(255, image[image.Width / 2, image.Height / 2].A);
    }

    [Fact]
    public async Task Output_compression_sets_the_jpeg_quality()
    {
        await using var h = await Harness.StartAsync(ProviderKind.OpenAI);
        async Task<long> SizeAt(int compression)
        {
            var p = await h.Client.SubmitAsync(Generate(ProviderKind.OpenAI, output: new ImageOutputOptions { Format = ImageFormat.Jpeg, Compression = compression }), CancellationToken.None);
            return Assert.Single((await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None)).Files).Length;
        }
        var low = await SizeAt(10);
        var high = await SizeAt(95);
        Assert.True(low * 2 < high, $"quality 10 gave {low} bytes, quality 95 gave {high}");
    }

    [Fact]
    public async Task Aiml_generation_answers_urls_and_becomes_a_completed_prediction_with_usage_in_usd()
    {
        await using var h = await Harness.StartAsync(ProviderKind.AimlApi);
        var p = await h.Client.SubmitAsync(Generate(ProviderKind.AimlApi, size: "1536x1024"), CancellationToken.None);
        Assert.Equal((PredictionStatus.Completed, "AimlApi", "gpt-image-1", "openai/gpt-image-1"), (p.Status, p.Provider, p.Model, p.ModelId));
        Assert.StartsWith("http://127.0.0.1:", Assert.Single(p.Outputs).ToString());
        Assert.Equal(0.042m, p.Usage!.Usd);
        Assert.Equal(84000m, p.Usage.Credits);
        var saved = await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal((1536, 1024), TestImages.SizeOf(Assert.Single(saved.Files).FullName));
        Assert.Equal(1, h.Server.Stats.ImageGenerations);
    }

    [Fact]
    public async Task Aiml_b64_json_and_openai_answers_are_decoded_to_files_and_saved_by_copy()
    {
        await using var aiml = await Harness.StartAsync(ProviderKind.AimlApi);
        var b64 = await aiml.Client.SubmitAsync(Generate(ProviderKind.AimlApi, base64: true), CancellationToken.None);
        var cached = Assert.Single(b64.Outputs);
        Assert.True(cached.IsFile);
        Assert.DoesNotContain("iVBOR", b64.RawResponse);
        var saved = await aiml.Client.SaveAsync(b64, aiml.Save(), CancellationToken.None);
        Assert.Equal(File.ReadAllBytes(cached.LocalPath), File.ReadAllBytes(Assert.Single(saved.Files).FullName));
        Assert.Equal(0, aiml.Server.Stats.Downloads);

        await using var openai = await Harness.StartAsync(ProviderKind.OpenAI);
        var two = await openai.Client.SubmitAsync(Generate(ProviderKind.OpenAI, size: "auto", output: new ImageOutputOptions { Count = 2 }), CancellationToken.None);
        Assert.Equal(2, two.Outputs.Count);
        Assert.All(two.Outputs, o => Assert.True(o.IsFile));
        Assert.Equal(1056 * 2 + 1, two.Usage!.TotalTokens);
        Assert.Null(two.Usage.Usd);
        var files = (await openai.Client.SaveAsync(two, openai.Save(), CancellationToken.None)).Files;
        Assert.Equal(2, files.Count);
    }

    [Fact]
    public async Task Edits_upload_several_images_and_a_matching_mask_as_multipart()
    {
        await using var h = await Harness.StartAsync(ProviderKind.OpenAI);
        var a = h.WriteImage("a.png", 64, 64);
        var b = h.WriteImage("b.png", 32, 32);
        var mask = h.WriteImage("mask.png", 64, 64);
        var request = new ImageTemplate { Prompt = "pastel", Mask = ImageSource.FromFile(mask),
            InputFidelity = "high", Provider = ProviderKind.OpenAI }.Edit([ImageSource.FromFile(a), ImageSource.FromFile(b)]);
        var p = await h.Client.SubmitAsync(request, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, p.Status);
        Assert.Equal(a, p.SourcePath);
        Assert.Equal(1, h.Server.Stats.ImageEdits);
        Assert.Equal("high", Assert.Single(h.Server.ImagesRequests)["input_fidelity"]);
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi)]
    [InlineData(ProviderKind.OpenAI)]
    public async Task Output_options_are_sent_as_the_images_api_names_them(ProviderKind provider)
    {
        await using var h = await Harness.StartAsync(provider);
        await h.Client.SubmitAsync(Generate(provider, output: new ImageOutputOptions { Format = ImageFiles.FormatNamed("jpg"), Compression = 70, Moderation = "low" }), CancellationToken.None);
        var sent = Assert.Single(h.Server.ImagesRequests);
        Assert.Equal(("jpeg", "70", "low"), (sent["output_format"], sent["output_compression"], sent["moderation"]));

        var edit = new ImageTemplate { Prompt = "x", Provider = provider, Output = new ImageOutputOptions { Format = ImageFormat.WebP } }.Edit([ImageSource.FromFile(h.WriteImage("a.png"))]);
        await h.Client.SubmitAsync(edit, CancellationToken.None);
        Assert.Equal("webp", h.Server.ImagesRequests[1]["output_format"]);
        Assert.False(h.Server.ImagesRequests[1].ContainsKey("input_fidelity"));
    }

    [Fact]
    public async Task A_mask_whose_size_differs_from_the_first_image_is_refused_before_sending()
    {
        await using var h = await Harness.StartAsync(ProviderKind.AimlApi);
        var request = new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(h.WriteImage("m.png", 32, 32)), Provider = ProviderKind.AimlApi }.Edit([ImageSource.FromFile(h.WriteImage("a.png", 64, 64))]);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(request, CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
        Assert.Contains("64x64", e.Message);
        Assert.Empty(h.Log);
    }

    [Fact]
    public async Task Url_inputs_are_refused_by_the_images_api()
    {
        await using var h = await Harness.StartAsync(ProviderKind.AimlApi);
        var request = new ImageTemplate { Prompt = "x", Provider = ProviderKind.AimlApi }.Edit([ImageSource.FromUri(new Uri("https://img.example/a.png"))]);
        Assert.Equal("Uri", (await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(request, CancellationToken.None))).ParameterName);
    }

    [Fact]
    public async Task Moderation_refusals_become_failed_predictions_mapped_to_ContentModerated()
    {
        await using var h = await Harness.StartAsync(ProviderKind.OpenAI);
        var p = await h.Client.SubmitAsync(Generate(ProviderKind.OpenAI, "x [emulator:fail=1200]"), CancellationToken.None);
        Assert.Equal(PredictionStatus.Failed, p.Status);
        Assert.Equal(GptImageErrorKind.ContentModerated, p.ToFailure().Kind);
        Assert.Contains("safety system", p.Error);
    }

    [Fact]
    public async Task Get_and_Wait_return_a_synchronous_prediction_as_is_without_a_request()
    {
        await using var h = await Harness.StartAsync(ProviderKind.AimlApi);
        var p = await h.Client.SubmitAsync(Generate(ProviderKind.AimlApi), CancellationToken.None);
        var requests = h.Log.Count;
        Assert.Same(p, await h.Client.GetAsync(p.Id, CancellationToken.None));
        Assert.Same(p, await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(1), null, CancellationToken.None));
        Assert.Equal(requests, h.Log.Count);
        Assert.Equal(GptImageErrorKind.NotFound, (await Assert.ThrowsAsync<GptImageException>(() => h.Client.GetAsync("unknown", CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task A_generation_answered_5xx_is_not_sent_again_and_429_is_retried_honouring_retry_after_ms()
    {
        var emulator = new EmulatorOptions { InferenceLatencyMs = 0 };
        emulator.Faults.Images.ServerError = 1;
        await using var h = await Harness.StartAsync(ProviderKind.OpenAI, emulator);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(Generate(ProviderKind.OpenAI), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.ServiceUnavailable, e.Kind);
        Assert.Single(h.Log, l => l.StartsWith("POST", StringComparison.Ordinal));

        emulator.Faults.Images.ServerError = 0;
        emulator.Faults.Images.RateLimit = 1;
        var limited = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(Generate(ProviderKind.OpenAI), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.RateLimited, limited.Kind);
        Assert.Equal(1 + 1 + h.Connection.Options.MaximumRetryCount, h.Log.Count(l => l.StartsWith("POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_key_is_AuthenticationFailed()
    {
        await using var h = await Harness.StartAsync(ProviderKind.AimlApi, configure: o => o.Credential = new ApiCredential("wrong-key-42"));
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(Generate(ProviderKind.AimlApi), CancellationToken.None));
        Assert.Equal((GptImageErrorKind.AuthenticationFailed, 401), (e.Kind, e.StatusCode));
    }

    public static TheoryData<ProviderKind, string?, string?, int?, int?, string?, string> InvalidOutputs => new()
    {
        { ProviderKind.AimlApi, "jpeg", "transparent", null, null, null, "Background" },
        { ProviderKind.AimlApi, "png", null, 50, null, null, "OutputCompression" },
        { ProviderKind.OpenAI, "jpeg", null, 101, null, null, "OutputCompression" },
        { ProviderKind.AimlApi, null, null, null, 2, null, "Count" },
        { ProviderKind.OpenAI, null, null, null, 11, null, "Count" },
        { ProviderKind.AimlApi, "gif", null, null, null, null, "OutputFormat" },
        { ProviderKind.AimlApi, null, null, null, null, "none", "Moderation" },
        { ProviderKind.WaveSpeed, "webp", null, null, null, null, "OutputFormat" },
        { ProviderKind.WaveSpeed, null, null, null, null, "low", "Moderation" },
        { ProviderKind.WaveSpeed, null, null, null, 2, null, "Count" },
    };

    [Theory]
    [MemberData(nameof(InvalidOutputs))]
    public void Output_options_are_checked_per_provider_and_refusals_name_who_takes_them(ProviderKind provider, string? format, string? background, int? compression, int? count, string? moderation, string parameter)
    {
        var e = Assert.Throws<GptImageException>(() => new ImageTemplate { Background = background, Provider = provider,
            Output = new ImageOutputOptions { Format = format is null ? null : ImageFiles.FormatNamed(format), Compression = compression, Count = count, Moderation = moderation } }.Generate("x"));
        Assert.Equal(parameter, e.ParameterName);
        if (provider == ProviderKind.WaveSpeed) { Assert.Contains("(OpenAI)", e.Message); }
    }

    [Fact]
    public void Each_provider_has_its_model_names_sizes_and_qualities()
    {
        Assert.Equal("openai/gpt-image-1", new ImageTemplate { Provider = ProviderKind.AimlApi }.Generate("x").Spec.ApiModelId);
        Assert.Equal("gpt-image-1", new ImageTemplate { Provider = ProviderKind.OpenAI }.Generate("x").Spec.ApiModelId);
        Assert.Equal("auto", new ImageTemplate { Size = "auto", Quality = "auto", Provider = ProviderKind.OpenAI }.Generate("x").Size);
        Assert.Equal("Size", Assert.Throws<GptImageException>(() => new ImageTemplate { Size = "auto", Provider = ProviderKind.AimlApi }.Generate("x")).ParameterName);
        Assert.False(new ImageTemplate { Model = "gpt-image-1.5", Provider = ProviderKind.AimlApi }.Generate("x").Spec.IsKnown);
        Assert.Equal(ImageFormat.WebP, new ImageTemplate { Background = "transparent", Provider = ProviderKind.OpenAI, Output = new ImageOutputOptions { Format = ImageFormat.WebP, Compression = 80 } }.Generate("x").OutputFormat);
        Assert.Equal(ImageFormat.Jpeg, new ImageTemplate { Provider = ProviderKind.OpenAI, Output = new ImageOutputOptions { Format = ImageFiles.FormatNamed("jpg") } }.Generate("x").OutputFormat);
    }

    [Fact]
    public void Kept_base64_outputs_older_than_a_day_are_removed_and_newer_ones_kept()
    {
        var folder = Directory.CreateTempSubdirectory("gptimage-cache-").FullName;
        try
        {
            var now = DateTime.UtcNow;
            var old = Path.Combine(folder, "old-0.png");
            var recent = Path.Combine(folder, "recent-0.png");
            File.WriteAllBytes(old, [1]);
            File.WriteAllBytes(recent, [2]);
            File.SetLastWriteTimeUtc(old, now.AddHours(-25));
            File.SetLastWriteTimeUtc(recent, now.AddHours(-23));
            KeptOutputs.Prune(folder, TimeSpan.FromDays(1), now);
            Assert.False(File.Exists(old));
            Assert.True(File.Exists(recent));
            KeptOutputs.Prune(Path.Combine(folder, "missing"), TimeSpan.FromDays(1), now);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
