using System.Text;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Providers;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Emulator;

namespace GptImage.Tests.Client;

/// <summary>
/// What the service decides is bounded here (issue #21): how many history pages are read, how many outputs of a task are
/// taken, how many downloads run at once, how large a base64 image may be, and that an invalid answer is not fetched again.
/// </summary>
public sealed class ServerDrivenLimitTests
{
    private static EmulatorOptions Fast => new() { InferenceLatencyMs = 20 };

    private static async Task<(IReadOnlyList<Prediction> Listed, List<string> Warnings, long Requests)> ListAsync(string modes)
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile(modes));
        await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("one"), CancellationToken.None), TimeSpan.FromSeconds(20), null, CancellationToken.None);
        await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("two"), CancellationToken.None), TimeSpan.FromSeconds(20), null, CancellationToken.None);
        await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("three"), CancellationToken.None), TimeSpan.FromSeconds(20), null, CancellationToken.None);
        var before = h.Server.Stats.HostileRequests;
        var warnings = new List<string>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var listed = await h.Client.Account.ListAsync(new HistoryQuery(), warnings.Add, cancel.Token);
        return (listed, warnings, h.Server.Stats.HostileRequests - before);
    }

    [Fact]
    public async Task History_paging_stops_after_100_pages_when_every_page_brings_new_predictions_and_says_so()
    {
        var (listed, warnings, requests) = await ListAsync("history=endless");
        Assert.Equal(HistoryQuery.MaxPages, requests);
        Assert.Equal(HistoryQuery.MaxPages * HistoryQuery.MaxPageSize, listed.Count);
        Assert.Contains("stopped after 100 pages", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_paging_stops_at_a_page_that_repeats_one_already_seen_and_lists_each_prediction_once()
    {
        var (listed, warnings, requests) = await ListAsync("history=repeat");
        Assert.Equal(2, requests);
        Assert.Equal(HistoryQuery.MaxPageSize, listed.Select(p => p.Id).Distinct().Count());
        Assert.Equal(HistoryQuery.MaxPageSize, listed.Count);
        Assert.Contains("repeats predictions already listed", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_history_item_is_skipped_with_a_warning_and_the_rest_of_its_page_kept()
    {
        var (listed, warnings, _) = await ListAsync("history=bad-item");
        Assert.Single(listed);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("Item 0 of page 1", warnings[0], StringComparison.Ordinal);
        Assert.Contains("skipped", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_answered_with_20_url_outputs_saves_the_first_16_at_most_8_downloads_at_once_and_counts_the_rest()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("output-count=20,slow-output=150"));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("many"), CancellationToken.None);
        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(30), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.Equal((TaskOutputs.MaxPerTask, 4), (done.Outputs.Count, done.OutputsDropped));
        Assert.Equal(TaskOutputs.MaxPerTask, done.Files.Count);
        Assert.Equal(TaskOutputs.MaxPerTask, Directory.GetFiles(h.Folder).Length);
        Assert.Equal(Downloader.MaxInFlight, h.Server.Stats.MaxDownloadsInFlight);
        Assert.Contains("first 16 are taken and 4 dropped", TaskOutputs.Warning(done), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_answered_with_20_base64_outputs_writes_16_files()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("output-count=20"));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Base64Output = true }.Generate("many"), CancellationToken.None);
        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(30), h.Save(), CancellationToken.None);
        Assert.Equal((TaskOutputs.MaxPerTask, 4), (done.Files.Count, done.OutputsDropped));
        Assert.Equal(TaskOutputs.MaxPerTask, Directory.GetFiles(h.Folder).Length);
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task An_Images_API_answer_with_20_images_keeps_16_whether_urls_or_base64()
    {
        await using var server = await EmulatorServer.StartAsync(Fast);
        foreach (var base64 in new[] { false, true })
        {
            var options = ClientHarness.OptionsFor(server);
            options.Provider = ProviderKind.AimlApi;
            ClientHarness.Hostile("output-count=20")(options);
            using var connection = new GptImageConnection(options);
            var p = await connection.CreateClient().SubmitAsync(new ImageTemplate { Provider = ProviderKind.AimlApi, Output = new ImageOutputOptions { ResponseFormat = base64 ? "b64_json" : "url" } }.Generate("many"), CancellationToken.None);
            Assert.Equal((PredictionStatus.Completed, TaskOutputs.MaxPerTask, 4), (p.Status, p.Outputs.Count, p.OutputsDropped));
        }
    }

    [Fact]
    public void A_webhook_delivery_with_1000_outputs_becomes_a_prediction_with_16()
    {
        var outputs = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"https://cdn.example.net/o/{i}.png\""));
        var p = WaveSpeedPredictions.FromWebhook($$"""{"id":"many","model":"openai/gpt-image-1/text-to-image","status":"completed","outputs":[{{outputs}}]}""");
        Assert.Equal((TaskOutputs.MaxPerTask, 984), (p.Outputs.Count, p.OutputsDropped));
        Assert.Equal(new Uri("https://cdn.example.net/o/15.png"), p.Outputs[^1]);
    }

    [Fact]
    public async Task A_base64_output_over_the_image_cap_is_not_saved_and_the_paid_prediction_is_still_given()
    {
        await using var h = await ClientHarness.StartAsync(Fast);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Base64Output = true }.Generate("big"), CancellationToken.None);
        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(30), h.Save(), CancellationToken.None);
        var size = Assert.Single(done.Files).Length;

        // The same image under a cap one byte smaller than it: the one cap downloads have.
        var options = ClientHarness.OptionsFor(h.Server);
        options.MaxDownloadBytes = size - 1;
        using var ownedCapped = new OwnedClient(options);
        var capped = ownedCapped.Client;
        var folder = Path.Combine(h.Folder, "capped");
        Directory.CreateDirectory(folder);
        var e = await Assert.ThrowsAsync<GptImageException>(() => capped.SaveAsync(done, new SaveOptions { Directory = folder }, CancellationToken.None));
        Assert.Equal(GptImageErrorKind.DownloadFailed, e.Kind);
        Assert.Contains($"{size - 1}-byte image cap", e.Message, StringComparison.Ordinal);
        Assert.Equal(done.Id, e.Prediction?.Id);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Invalid_base64_is_an_invalid_answer_and_is_not_fetched_again()
    {
        // Long enough that the submit's own answer is never already final (its outputs would be refused there).
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 300 }, ClientHarness.Hostile("base64=invalid"));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Base64Output = true }.Generate("x"), CancellationToken.None);
        using (var raw = new EmulatorClient(h.Server)) { await raw.WaitFinalAsync(submitted.Id); }
        var before = h.Server.Stats.ResultQueries;
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SaveAsync(
            new Prediction { Id = submitted.Id, Status = PredictionStatus.Completed, Base64Output = true }, h.Save(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
        Assert.Contains("not valid base64", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Server.Stats.ResultQueries - before);
        Assert.Empty(Directory.GetFileSystemEntries(h.Folder));
    }
}
