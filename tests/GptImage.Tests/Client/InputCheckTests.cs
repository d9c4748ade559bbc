using GptImage.Emulator;
using GptImage.Images;
using GptImage.Requests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace GptImage.Tests.Client;

/// <summary>Local inputs checked against each model's page before anything is sent: mask size and dimensions, input formats.</summary>
public sealed class InputCheckTests
{
    /// <summary>
    /// A real image of the kind asked for, encoded by ImageSharp: a JPEG (with <paramref name="metadata"/> bytes of
    /// EXIF before its frame header when asked), a lossy (VP8), lossless (VP8L) or extended (VP8X, lossy with
    /// alpha) WebP, or a PNG.
    /// </summary>
    internal static byte[] Encoded(string kind, int width, int height, int metadata = 0)
    {
        using var image = new Image<Rgba32>(width, height, new Rgba32(30, 120, 200, kind == "VP8X" ? (byte)128 : (byte)255));
        if (metadata > 0)
        {
            image.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
            image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.ImageDescription, new string('x', metadata));
        }
        using var output = new MemoryStream();
        switch (kind)
        {
            case "jpeg": image.SaveAsJpeg(output); break;
            case "VP8 ": image.SaveAsWebp(output, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }); break;
            case "VP8L": image.SaveAsWebp(output, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }); break;
            case "VP8X": image.SaveAsWebp(output, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }); break;
            default: image.SaveAsPng(output); break;
        }
        var bytes = output.ToArray();
        if (kind.StartsWith("VP8", StringComparison.Ordinal)) { Assert.Equal(kind, System.Text.Encoding.ASCII.GetString(bytes, 12, 4)); }
        return bytes;
    }

    [Theory]
    [InlineData("jpeg", 1, 1)]
    [InlineData("jpeg-metadata", 1536, 1024)]
    [InlineData("VP8 ", 640, 480)]
    [InlineData("VP8L", 1024, 1536)]
    [InlineData("VP8X", 3000, 2000)]
    [InlineData("png", 64, 48)]
    public void Dimensions_are_read_from_PNG_JPEG_and_WebP_headers(string kind, int width, int height)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("gptimage-dims-").FullName, "image");
        File.WriteAllBytes(path, kind == "jpeg-metadata" ? Encoded("jpeg", width, height, metadata: 60000) : Encoded(kind, width, height));
        Assert.Equal((width, height), ImageFiles.Dimensions(path));
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("VP8L")]
    public async Task A_mask_is_checked_against_a_JPEG_or_WebP_first_image_before_sending(string kind)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var first = Path.Combine(h.Folder, "first");
        File.WriteAllBytes(first, Encoded(kind, 1, 1));
        var request = new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(h.WriteImage("mask.png", 64, 64)), Provider = ProviderKind.AimlApi }.Edit([ImageSource.FromFile(first)]);
        var e = Assert.Throws<GptImageException>(request.CheckLocalFiles);
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
        Assert.Contains("64x64", e.Message, StringComparison.Ordinal);
        Assert.Contains("1x1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task The_emulator_refuses_a_mask_that_differs_from_a_JPEG_or_WebP_first_image(string format)
    {
        await using var h = await ClientHarness.StartAsync();
        using var http = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        using var picture = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(64, 48);
        using var encoded = new MemoryStream();
        if (format == "jpeg") { SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(picture, encoded); }
        else { SixLabors.ImageSharp.ImageExtensions.SaveAsWebp(picture, encoded); }
        async Task<int> Edit(int maskWidth, int maskHeight)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent("openai/gpt-image-1"), "model" },
                { new StringContent("p"), "prompt" },
                { new ByteArrayContent(encoded.ToArray()), "image", "first." + format },
                { new ByteArrayContent(TestImages.Png(maskWidth, maskHeight)), "mask", "mask.png" },
            };
            using var response = await http.Http.PostAsync("v1/images/edits", form);
            return (int)response.StatusCode;
        }
        Assert.Equal(400, await Edit(32, 32));
        Assert.Equal(200, await Edit(64, 48));
    }

    [Fact]
    public async Task A_mask_of_4_MB_or_more_is_refused_stating_the_limit_exactly()
    {
        await using var h = await ClientHarness.StartAsync();
        var image = h.WriteImage("a.png", 64, 64);
        var mask = Path.Combine(h.Folder, "big-mask.png");
        using (var stream = File.Create(mask))
        {
            stream.Write(TestImages.Png(64, 64));
            stream.SetLength((long)(4.6 * 1024 * 1024));
        }
        var e = Assert.Throws<GptImageException>(new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(mask), Provider = ProviderKind.AimlApi }.Edit([ImageSource.FromFile(image)]).CheckLocalFiles);
        Assert.Contains("under 4 MB (4194304 bytes)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("3 MB", e.Message, StringComparison.Ordinal);
        using (var stream = File.OpenWrite(mask)) { stream.SetLength((4L * 1024 * 1024) - 1); }
        new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(mask), Provider = ProviderKind.AimlApi }.Edit([ImageSource.FromFile(image)]).CheckLocalFiles();
        using (var stream = File.OpenWrite(mask)) { stream.SetLength(4L * 1024 * 1024); }
        Assert.Throws<GptImageException>(new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(mask), Provider = ProviderKind.AimlApi }.Edit([ImageSource.FromFile(image)]).CheckLocalFiles);
    }

    [Theory]
    [InlineData(1024L * 1024 * 20, "20 MB (20971520 bytes)")]
    [InlineData((4L * 1024 * 1024) - 1, "under 4 MB (4194304 bytes)")]
    [InlineData(1000L, "1000 bytes")]
    public void Limits_are_stated_exactly(long limit, string text) => Assert.Equal(text, ImageFiles.DescribeLimit(limit));

    [Fact]
    public async Task Gpt_image_1_mini_edit_takes_JPG_and_PNG_only_and_the_emulator_refuses_WebP_too()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var webp = Path.Combine(h.Folder, "a.webp");
        File.WriteAllBytes(webp, Encoded("VP8 ", 8, 8));
        var jpeg = Path.Combine(h.Folder, "b.jpg");
        File.WriteAllBytes(jpeg, Encoded("jpeg", 8, 8));
        var png = h.WriteImage("c.png");
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(
            new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit([ImageSource.FromFile(png), ImageSource.FromFile(webp)]), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
        Assert.Contains("takes PNG and JPG only", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.Stats.Uploads);
        await h.Client.SubmitAsync(new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit([ImageSource.FromFile(png), ImageSource.FromFile(jpeg)]), CancellationToken.None);
        // gpt-image-1.5 takes WebP; the emulator refuses a WebP sent to mini edit anyway.
        var uploaded = await h.Client.SubmitAsync(new ImageTemplate { Prompt = "x", Model = "gpt-image-1.5" }.Edit([ImageSource.FromFile(webp)]), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(uploaded.Id));
        var url = h.Server.LastSubmit!["body"]!["images"]![0]!.GetValue<string>();
        using var http = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        using var refused = await http.PostJsonAsync("api/v3/openai/gpt-image-1-mini/edit", new { prompt = "x", images = new[] { url } });
        Assert.Equal(400, (int)refused.StatusCode);
    }
}
