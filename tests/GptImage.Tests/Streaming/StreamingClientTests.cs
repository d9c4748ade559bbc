using GptImage.Emulator;
using GptImage.Files;
using GptImage.Providers;
using GptImage.Providers.ImagesApi;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Client;

namespace GptImage.Tests.Streaming;

/// <summary>-PartialImages against the emulator's streamed answers: previews beside the final image, caps, and a cut stream.</summary>
public sealed class StreamingClientTests
{
    private static async Task<(ClientHarness Harness, GptImageConnection Connection, IImageApiClient Client)> StartAsync(Action<ConnectionOptions>? configure = null)
    {
        var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var options = ClientHarness.OptionsFor(h.Server, h.Log);
        options.Provider = ProviderKind.OpenAI;
        configure?.Invoke(options);
        var connection = new GptImageConnection(options);
        return (h, connection, connection.CreateClient());
    }

    private static ImageRequest Streamed(SaveOptions save, string prompt = "a lighthouse", int partials = 2, string? edit = null)
    {
        var template = new ImageTemplate { Provider = ProviderKind.OpenAI, Model = "gpt-image-2", PartialImages = partials, PartialImagesTo = save, Prompt = edit is null ? null : prompt };
        return edit is null ? template.Generate(prompt) : template.Edit(new[] { ImageSource.FromFile(edit) });
    }

    [Fact]
    public async Task Two_partial_images_land_beside_the_final_image_and_are_reported()
    {
        var (h, connection, client) = await StartAsync();
        await using var _ = h;
        using var __ = connection;
        var reported = new List<PartialImageSaved>();
        var save = h.Save();
        var p = await client.SubmitAsync(Streamed(save).Reporting(reported.Add), CancellationToken.None);
        var final = await client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(30), save, CancellationToken.None);
        var file = Assert.Single(final.Files);
        Assert.Equal($"{p.Id}-0.png", file.Name);
        Assert.Equal(new[] { 0, 1 }, reported.Select(r => r.Index));
        Assert.Equal(new[] { $"{p.Id}-0.partial-0.png", $"{p.Id}-0.partial-1.png" }, reported.Select(r => Path.GetFileName(r.Path)));
        Assert.All(reported, r => Assert.True(Images.ImageFiles.Dimensions(r.Path) is not null, r.Path));
        Assert.Contains(h.Log, line => line.Contains("partial image 2 of 2 saved", StringComparison.Ordinal));
        Assert.Empty(h.TempFiles());
        // Priced from the tokens the completed event reports, labelled an estimate.
        Assert.NotNull(final.Usd);
        Assert.StartsWith("estimate:", final.UsdSource, StringComparison.Ordinal);
        var body = Assert.Single(h.Server.ImagesRequests);
        Assert.Equal(("true", "2"), (body["stream"], body["partial_images"]));
    }

    [Fact]
    public async Task A_streamed_edit_reads_the_image_edit_events()
    {
        var (h, connection, client) = await StartAsync();
        await using var _ = h;
        using var __ = connection;
        var reported = new List<PartialImageSaved>();
        var save = h.Save();
        var p = await client.SubmitAsync(Streamed(save, "make it blue", 1, h.WriteImage("in.png")).Reporting(reported.Add), CancellationToken.None);
        var final = await client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(30), save, CancellationToken.None);
        Assert.Equal("in-" + p.Id + "-0.partial-0.png", Path.GetFileName(Assert.Single(reported).Path));
        Assert.Equal(PredictionStatus.Completed, final.Status);
        Assert.Single(final.Files);
    }

    [Fact]
    public async Task A_stream_cut_half_way_keeps_its_partials_and_is_not_sent_again()
    {
        var (h, connection, client) = await StartAsync();
        await using var _ = h;
        using var __ = connection;
        var reported = new List<PartialImageSaved>();
        var e = await Assert.ThrowsAsync<GptImageException>(() =>
            client.SubmitAsync(Streamed(h.Save(), "a cut [emulator:stream-cut=1]").Reporting(reported.Add), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.SubmitOutcomeUnknown, e.Kind);
        Assert.Contains("after 1 of 2 partial image(s)", e.Message, StringComparison.Ordinal);
        var kept = Assert.Single(reported);
        Assert.Contains(kept.Path, e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(kept.Path));
        Assert.Single(Directory.GetFiles(h.Folder, "*.png"));
        Assert.Empty(h.TempFiles());
        Assert.Equal(1, h.Server.Stats.ImageGenerations);
    }

    [Fact]
    public async Task An_event_over_the_image_cap_is_an_invalid_answer()
    {
        // One event may hold an image of MaxDownloadBytes in base64 and some JSON: a 16 KB cap is far below the emulator's images.
        var (h, connection, client) = await StartAsync(o => o.MaxDownloadBytes = 16 * 1024);
        await using var _ = h;
        using var __ = connection;
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(Streamed(h.Save()), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
        Assert.Contains("longer than", e.Message, StringComparison.Ordinal);
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task A_stream_stopped_after_its_first_preview_keeps_it_and_says_the_image_may_be_charged()
    {
        var (h, connection, client) = await StartAsync();
        await using var _ = h;
        using var __ = connection;
        using var stop = new CancellationTokenSource();
        var save = h.Save();
        // Drawn in 3 s: stopped (Ctrl+C or -TimeoutSec) as soon as the first preview is saved.
        var request = Streamed(save, "a slow one [emulator:latency=3000]").Reporting(_ => stop.Cancel());
        var e = await Assert.ThrowsAsync<GptImageException>(() => client.SubmitAsync(request, stop.Token));
        Assert.Equal(GptImageErrorKind.SubmitOutcomeUnknown, e.Kind);
        Assert.Contains("(stopped) after 1 of 2 partial image(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains(".partial-0.png", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Server.Stats.ImageGenerations);
    }
}
