using System.Buffers.Binary;
using GptImage.Client;
using GptImage.Emulator;

namespace GptImage.Tests.Client;

/// <summary>Local inputs checked against each model's page before anything is sent: mask size and dimensions, input formats.</summary>
public sealed class InputCheckTests
{
    /// <summary>A JPEG header (SOI, an APP1 segment of <paramref name="metadata"/> bytes, SOF0) declaring the dimensions.</summary>
    internal static byte[] Jpeg(int width, int height, int metadata = 20)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE1, (byte)((metadata + 2) >> 8), (byte)(metadata + 2) };
        bytes.AddRange(new byte[metadata]);
        bytes.AddRange(new byte[] { 0xFF, 0xC0, 0, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3 });
        bytes.AddRange(new byte[15]);
        bytes.AddRange(new byte[] { 0xFF, 0xD9 });
        return bytes.ToArray();
    }

    /// <summary>A WebP header of the given kind declaring the dimensions.</summary>
    internal static byte[] WebP(string kind, int width, int height)
    {
        var bytes = new byte[40];
        "RIFF"u8.CopyTo(bytes);
        "WEBP"u8.CopyTo(bytes.AsSpan(8));
        System.Text.Encoding.ASCII.GetBytes(kind).CopyTo(bytes, 12);
        switch (kind)
        {
            case "VP8 ":
                bytes[23] = 0x9D; bytes[24] = 0x01; bytes[25] = 0x2A;
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), (ushort)width);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), (ushort)height);
                break;
            case "VP8L":
                bytes[20] = 0x2F;
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(21), (uint)((width - 1) | ((height - 1) << 14)));
                break;
            default:
                bytes[24] = (byte)(width - 1); bytes[25] = (byte)((width - 1) >> 8); bytes[26] = 0;
                bytes[27] = (byte)(height - 1); bytes[28] = (byte)((height - 1) >> 8); bytes[29] = 0;
                break;
        }
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
        File.WriteAllBytes(path, kind switch
        {
            "jpeg" => Jpeg(width, height),
            "jpeg-metadata" => Jpeg(width, height, metadata: 60000),
            "png" => TestImages.Png(width, height),
            _ => WebP(kind, width, height),
        });
        Assert.Equal((width, height), ImageFiles.Dimensions(path));
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("VP8L")]
    public async Task A_mask_is_checked_against_a_JPEG_or_WebP_first_image_before_sending(string kind)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var first = Path.Combine(h.Folder, "first");
        File.WriteAllBytes(first, kind == "jpeg" ? Jpeg(1, 1) : WebP(kind, 1, 1));
        var request = ImageRequest.Edit("x", [ImageSource.FromFile(first)], ImageSource.FromFile(h.WriteImage("mask.png", 64, 64)), provider: ProviderKind.AimlApi);
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
        var e = Assert.Throws<GptImageException>(ImageRequest.Edit("x", [ImageSource.FromFile(image)], ImageSource.FromFile(mask), provider: ProviderKind.AimlApi).CheckLocalFiles);
        Assert.Contains("under 4 MB (4194304 bytes)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("3 MB", e.Message, StringComparison.Ordinal);
        using (var stream = File.OpenWrite(mask)) { stream.SetLength((4L * 1024 * 1024) - 1); }
        ImageRequest.Edit("x", [ImageSource.FromFile(image)], ImageSource.FromFile(mask), provider: ProviderKind.AimlApi).CheckLocalFiles();
        using (var stream = File.OpenWrite(mask)) { stream.SetLength(4L * 1024 * 1024); }
        Assert.Throws<GptImageException>(ImageRequest.Edit("x", [ImageSource.FromFile(image)], ImageSource.FromFile(mask), provider: ProviderKind.AimlApi).CheckLocalFiles);
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
        File.WriteAllBytes(webp, WebP("VP8 ", 8, 8));
        var jpeg = Path.Combine(h.Folder, "b.jpg");
        File.WriteAllBytes(jpeg, Jpeg(8, 8));
        var png = h.WriteImage("c.png");
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(
            ImageRequest.Edit("x", [ImageSource.FromFile(png), ImageSource.FromFile(webp)], model: "gpt-image-1-mini"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
        Assert.Contains("takes PNG and JPG only", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.Stats.Uploads);
        await h.Client.SubmitAsync(ImageRequest.Edit("x", [ImageSource.FromFile(png), ImageSource.FromFile(jpeg)], model: "gpt-image-1-mini"), CancellationToken.None);
        // gpt-image-1.5 takes WebP; the emulator refuses a WebP sent to mini edit anyway.
        var uploaded = await h.Client.SubmitAsync(ImageRequest.Edit("x", [ImageSource.FromFile(webp)], model: "gpt-image-1.5"), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(uploaded.Id));
        var url = h.Server.LastSubmit!["body"]!["images"]![0]!.GetValue<string>();
        using var http = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        using var refused = await http.PostJsonAsync("api/v3/openai/gpt-image-1-mini/edit", new { prompt = "x", images = new[] { url } });
        Assert.Equal(400, (int)refused.StatusCode);
    }
}
