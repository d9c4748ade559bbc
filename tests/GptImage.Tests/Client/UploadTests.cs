using GptImage.Emulator;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Tests.Client;

public sealed class UploadTests
{
    [Fact]
    public async Task A_local_file_is_uploaded_with_the_two_step_flow_and_its_url_used_for_the_edit()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var shot = h.WriteImage("shot.png");
        var request = new ImageTemplate { Prompt = "pastel colours" }.Edit([ImageSource.FromFile(shot)]);
        var submitted = await h.Client.SubmitAsync(request, CancellationToken.None);
        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.Equal(shot, done.SourcePath);
        Assert.StartsWith("shot-", Assert.Single(done.Files).Name);
        var stats = h.Server.Stats;
        Assert.Equal((1, 1, 0), (stats.Uploads, stats.UploadPuts, stats.BinaryUploads));
    }

    [Fact]
    public async Task The_same_content_is_uploaded_once_per_session_however_often_it_is_used()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var a = h.WriteImage("a.png", variant: 4);
        var copy = Path.Combine(h.Folder, "copy-of-a.png");
        File.Copy(a, copy);
        var other = h.WriteImage("b.png", variant: 5);
        var requests = new[] { a, copy, a, other, copy }.Select(p => new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(a) }.Edit([ImageSource.FromFile(p)]));
        await Task.WhenAll(requests.Select(r => h.Client.SubmitAsync(r, CancellationToken.None)));
        Assert.Equal(5, h.Server.Stats.Submits);
        Assert.Equal(2, h.Server.Stats.UploadPuts);
    }

    [Fact]
    public async Task Without_the_two_step_flow_the_legacy_binary_upload_is_used()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20, DisableTwoStepUpload = true });
        var images = new[] { h.WriteImage("1.png", variant: 1), h.WriteImage("2.png", variant: 2) };
        var request = new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" }.Edit(images.Select(ImageSource.FromFile));
        var done = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(request, CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.Equal((2, 0), (h.Server.Stats.BinaryUploads, h.Server.Stats.UploadPuts));
    }

    [Fact]
    public async Task Files_are_checked_by_their_bytes_before_anything_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();
        var fake = Path.Combine(h.Folder, "not-really.png");
        File.WriteAllText(fake, "just text");
        var jpeg = Path.Combine(h.Folder, "photo.png");
        File.WriteAllBytes(jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1]);
        var webp = Path.Combine(h.Folder, "pic.bin");
        File.WriteAllBytes(webp, "RIFF\0\0\0\0WEBPVP8 "u8.ToArray());
        var big = Path.Combine(h.Folder, "big.png");
        using (var stream = File.Create(big))
        {
            stream.Write(TestImages.Png(8, 8));
            stream.SetLength(ImageFiles.MaxUploadBytes + 1);
        }

        async Task<GptImageException> Fails(string image, string? mask = null) =>
            await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(
                new ImageTemplate { Prompt = "x", Mask = mask is null ? null : ImageSource.FromFile(mask) }.Edit([ImageSource.FromFile(image)]), CancellationToken.None));

        Assert.Equal(GptImageErrorKind.InvalidFile, (await Fails(fake)).Kind);
        Assert.Equal(GptImageErrorKind.FileNotFound, (await Fails(Path.Combine(h.Folder, "missing.png"))).Kind);
        Assert.Equal(GptImageErrorKind.InvalidFile, (await Fails(h.Folder)).Kind);
        Assert.Contains("20 MB", (await Fails(big)).Message);
        var mask = await Fails(h.WriteImage("ok.png"), jpeg);
        Assert.Contains("must be a PNG", mask.Message);
        Assert.Equal(ImageFormat.Jpeg, ImageFiles.CheckInput(jpeg));
        Assert.Equal(ImageFormat.WebP, ImageFiles.CheckInput(webp));
        var stats = h.Server.Stats;
        Assert.Equal((0, 0, 0), (stats.Uploads, stats.SubmitRequests, stats.BinaryUploads));
    }
}
