using System.Diagnostics;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Polling;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;

namespace GptImage.Tests.Client;

public sealed class WaveSpeedClientTests
{
    [Fact]
    public async Task A_prediction_carries_the_size_and_quality_it_was_asked_for_through_the_wait()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var p = await h.Client.SubmitAsync(new ImageTemplate { Size = "1024*1536", Quality = "low" }.Generate("x"), CancellationToken.None);
        Assert.Equal(("1024x1536", "low"), (p.Size, p.Quality));
        var done = await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal(("1024x1536", "low"), (done.Size, done.Quality));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transparent_background_on_gpt_image_1_5_comes_back_as_a_png_with_clear_pixels(bool base64)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var p = await h.Client.SubmitAsync(new ImageTemplate { Model = "gpt-image-1.5", Background = "transparent", Base64Output = base64 }.Generate("a logo"), CancellationToken.None);
        var saved = Assert.Single((await h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None)).Files);
        Assert.Equal(".png", saved.Extension);
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(saved.FullName);
        Assert.Equal((0, 255), (image[0, 0].A, image[image.Width / 2, image.Height / 2].A));
    }

    [Fact]
    public async Task Text_to_image_is_submitted_once_waited_for_and_saved_as_a_png_of_the_requested_size()
    {
        await using var h = await ClientHarness.StartAsync();
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Size = "1536x1024", Quality = "low" }.Generate("A T-Rex on a sun lounger"), CancellationToken.None);
        Assert.False(submitted.IsFinal);
        Assert.Equal("gpt-image-1", submitted.Model);
        Assert.Equal("openai/gpt-image-1/text-to-image", submitted.ModelId);
        Assert.Equal("A T-Rex on a sun lounger", submitted.Prompt);
        Assert.Equal(new Uri(h.Server.BaseUri, $"api/v3/predictions/{submitted.Id}/result"), submitted.ResultUri);

        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        var file = Assert.Single(done.Files);
        Assert.Equal(Path.Combine(h.Folder, $"{done.Id}-0.png"), file.FullName);
        Assert.Equal((1536, 1024), TestImages.SizeOf(file.FullName));
        Assert.Single(done.Outputs);
        Assert.False(done.HasNsfwContents);
        Assert.Equal(TimeSpan.FromMilliseconds(100), done.InferenceTime);
        Assert.Contains(done.Id, done.RawResponse);
        Assert.Equal(1, h.Server.Stats.Submits);
        Assert.Equal(1, h.Server.Stats.Downloads);
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task Get_makes_exactly_one_query_and_follows_urls_get()
    {
        await using var h = await ClientHarness.StartAsync();
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var got = await h.Client.GetAsync(submitted.Id, CancellationToken.None);
        Assert.Equal(submitted.Id, got.Id);
        Assert.Equal(1, h.Server.Stats.ResultQueries);
        Assert.Contains(h.Log, l => l.Contains($"/api/v3/predictions/{submitted.Id}/result"));
        var missing = await Assert.ThrowsAsync<GptImageException>(() => h.Client.GetAsync("no-such-id", CancellationToken.None));
        Assert.Equal(GptImageErrorKind.NotFound, missing.Kind);
        Assert.Equal("no-such-id", missing.PredictionId);
    }

    [Theory]
    [InlineData(1200, GptImageErrorKind.ContentModerated)]
    [InlineData(1403, GptImageErrorKind.TaskFailed)]
    [InlineData(5004, GptImageErrorKind.TaskFailed)]
    public async Task A_failed_task_ends_failed_with_its_code_and_maps_to_a_typed_error(int code, GptImageErrorKind kind)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 30 });
        using var http = new HttpClient { BaseAddress = h.Server.BaseUri };
        // Ask the emulator (by header) to fail this task; the client sees only the service's answers.
        var emulatorClient = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        var id = (await emulatorClient.SubmitAsync(task: $"fail={code}"))["id"]!.GetValue<string>();
        var done = await h.Client.WaitAndSaveAsync(await h.Client.GetAsync(id, CancellationToken.None), TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Failed, done.Status);
        Assert.Equal(code, done.ErrorCode);
        Assert.Empty(done.Files);
        var error = done.ToFailure();
        Assert.Equal(kind, error.Kind);
        Assert.Equal(id, error.PredictionId);
        Assert.Equal(code, error.TaskErrorCode);
    }

    [Fact]
    public async Task Waiting_is_bounded_by_the_callers_token_only()
    {
        // The one deadline (-TimeoutSec) is the operation's: the client has none of its own, and ends when the token does.
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10_000 });
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var watch = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.WaitAsync(submitted, null, deadline.Token));
        // Not before the token ends; and ended by it, not by the task (which takes 10 s).
        Assert.InRange(watch.ElapsedMilliseconds, 250, 5000);
    }

    [Fact]
    public async Task A_prediction_known_only_by_its_id_is_looked_at_at_once()
    {
        // A schedule whose first look would come after the wait's timeout: only an immediate look can succeed.
        var slow = new PollSchedule { FirstDelay = TimeSpan.FromMinutes(1), MinInterval = TimeSpan.FromMinutes(1), SpreadFirstDelay = false };
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 }, o => o.PollSchedule = slow);
        using var raw = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        var id = (await raw.SubmitAsync())["id"]!.GetValue<string>();
        await raw.WaitFinalAsync(id);
        var before = h.Server.Stats.ResultQueries;
        var done = await h.Client.WaitAndSaveAsync(new GptImage.Prediction { Id = id }, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.Equal(1, h.Server.Stats.ResultQueries - before);
    }

    [Fact]
    public async Task Sync_mode_returns_the_final_prediction_from_the_submit_alone()
    {
        await using var h = await ClientHarness.StartAsync();
        var done = await h.Client.SubmitAsync(new ImageTemplate { SyncMode = true }.Generate("x"), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        done = await h.Client.WaitAndSaveAsync(done, TimeSpan.FromSeconds(5), h.Save(), CancellationToken.None);
        Assert.Single(done.Files);
        Assert.Equal((1, 0), (h.Server.Stats.Submits, h.Server.Stats.ResultQueries));
    }

    [Fact]
    public async Task Sync_mode_timing_out_with_5004_falls_back_to_polling_the_same_task()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 600, SyncTimeoutMs = 100 });
        var first = await h.Client.SubmitAsync(new ImageTemplate { SyncMode = true }.Generate("x"), CancellationToken.None);
        Assert.Equal(PredictionStatus.Processing, first.Status);
        Assert.Equal(5004, first.ErrorCode);
        var done = await h.Client.WaitAndSaveAsync(first, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal(first.Id, done.Id);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.Single(done.Files);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task Sync_mode_timing_out_with_a_gateway_504_finds_the_task_and_polls_it_without_submitting_again()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 600, SyncTimeoutMs = 100, SyncTimeoutAnswer = SyncTimeoutAnswer.GatewayTimeout });
        var first = await h.Client.SubmitAsync(new ImageTemplate { SyncMode = true }.Generate("x"), CancellationToken.None);
        var done = await h.Client.WaitAndSaveAsync(first, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.Single(done.Files);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
        Assert.Contains(h.Log, l => l.Contains("504"));
    }

    [Fact]
    public async Task Base64_output_is_decoded_straight_to_the_file()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 50 });
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Size = "1024x1536", Base64Output = true }.Generate("x"), CancellationToken.None);
        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(10), h.Save("{id}-b64"), CancellationToken.None);
        var file = Assert.Single(done.Files);
        Assert.Equal($"{done.Id}-b64.png", file.Name);
        Assert.Equal((1024, 1536), TestImages.SizeOf(file.FullName));
        Assert.Empty(done.Outputs);
        Assert.DoesNotContain("iVBOR", done.RawResponse); // the base64 PNG header is not kept on the object
        Assert.Equal(0, h.Server.Stats.Downloads);
        Assert.Empty(h.TempFiles());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(400)]
    public async Task A_base64_task_known_only_by_its_id_is_saved_when_waited_on_finished_or_still_running(int millisecondsBeforeWaiting)
    {
        // Submitted elsewhere (a runbook), so this session does not know its outputs are base64.
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 200 });
        using var http = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        var id = (await http.SubmitAsync(new { prompt = "x", size = "1024*1536", enable_base64_output = true }))["id"]!.GetValue<string>();
        await Task.Delay(millisecondsBeforeWaiting);
        var done = await h.Client.WaitAndSaveAsync(new Prediction { Id = id }, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.True(done.Base64Output);
        Assert.Equal((1024, 1536), TestImages.SizeOf(Assert.Single(done.Files).FullName));
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task A_base64_task_waited_on_without_a_destination_says_how_many_images_its_result_holds()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var submitted = await h.Client.SubmitAsync(new ImageTemplate { Base64Output = true }.Generate("x"), CancellationToken.None);
        Assert.Equal(0, submitted.Base64Images);
        var done = await h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal((PredictionStatus.Completed, 1, 0, 0), (done.Status, done.Base64Images, done.Outputs.Count, done.Files.Count));
        var plain = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None),
            TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal((0, 1), (plain.Base64Images, plain.Outputs.Count));
    }

    [Fact]
    public async Task An_existing_file_is_not_overwritten_unless_asked()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var done = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
        var target = Path.Combine(h.Folder, "keep.png");
        File.WriteAllText(target, "precious");
        var save = new SaveOptions { OutFile = target };
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SaveAsync(done, save, CancellationToken.None));
        Assert.Equal(GptImageErrorKind.FileExists, e.Kind);
        Assert.Equal("precious", File.ReadAllText(target));
        Assert.Equal(0, h.Server.Stats.Downloads);

        var saved = await h.Client.SaveAsync(done, new SaveOptions { OutFile = target, Overwrite = true }, CancellationToken.None);
        Assert.Equal(target, Assert.Single(saved.Files).FullName);
        Assert.Equal((1024, 1024), TestImages.SizeOf(target));
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task A_download_over_the_size_cap_is_refused_and_leaves_nothing()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 }, o => o.MaxDownloadBytes = 1000);
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.DownloadFailed, e.Kind);
        Assert.Empty(Directory.GetFiles(h.Folder));
    }

    [Fact]
    public async Task An_expired_output_is_reported_as_not_found()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var emulatorClient = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        var id = (await emulatorClient.SubmitAsync(task: "output=expired"))["id"]!.GetValue<string>();
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.WaitAndSaveAsync(new GptImage.Prediction { Id = id }, TimeSpan.FromSeconds(10), h.Save(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.NotFound, e.Kind);
        Assert.Contains("7 days", e.Message);
        Assert.Empty(Directory.GetFiles(h.Folder));
    }

    [Fact]
    public async Task Nsfw_flags_are_carried_on_the_prediction()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var emulatorClient = new GptImage.Tests.Emulator.EmulatorClient(h.Server);
        var id = (await emulatorClient.SubmitAsync(task: "nsfw"))["id"]!.GetValue<string>();
        var done = await h.Client.WaitAndSaveAsync(new GptImage.Prediction { Id = id }, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.True(done.HasNsfwContents);
    }

    [Fact]
    public async Task The_in_flight_cap_makes_excess_submits_wait_locally_instead_of_drawing_429s()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 200, MaxConcurrentTasks = 2 }, o => o.MaxTasksInFlight = 2);
        var submits = Enumerable.Range(0, 6).Select(i => h.Client.SubmitAsync(new ImageTemplate().Generate($"image {i}"), CancellationToken.None)).ToArray();
        var predictions = await Task.WhenAll(submits);
        var done = await Task.WhenAll(predictions.Select(p => h.Client.WaitAndSaveAsync(p, TimeSpan.FromSeconds(20), null, CancellationToken.None)));
        Assert.All(done, p => Assert.Equal(PredictionStatus.Completed, p.Status));
        Assert.Equal(6, h.Server.Stats.Submits);
        Assert.Equal(0, h.Server.Stats.RateLimited);
        Assert.Equal(2, h.Server.Stats.MaxTasksInFlight);
        // Every slot was freed when its task was seen ending: two more submits go straight out, without looking at
        // tasks held in flight first (a blocked submitter does).
        var queries = h.Server.Stats.ResultQueries;
        await Task.WhenAll(Enumerable.Range(6, 2).Select(i => h.Client.SubmitAsync(new ImageTemplate().Generate($"image {i}"), CancellationToken.None)));
        Assert.Equal(8, h.Server.Stats.Submits);
        Assert.Equal(queries, h.Server.Stats.ResultQueries);
    }

    [Fact]
    public async Task Client_headers_name_GptImage_and_its_version()
    {
        var seen = new List<HttpRequestMessage>();
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        using var ownedClient = new OwnedClient(ClientHarness.OptionsFor(server), new RecordingHandler(seen));
        await ownedClient.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var request = Assert.Single(seen);
        Assert.StartsWith("GptImage/", request.Headers.UserAgent.ToString());
        Assert.Equal("GptImage", request.Headers.GetValues("X-Client-Name").Single());
        Assert.NotEmpty(request.Headers.GetValues("X-Client-Version").Single());
        Assert.NotEmpty(request.Headers.GetValues("X-Client-OS").Single());
    }

    private sealed class RecordingHandler(List<HttpRequestMessage> seen) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen) { seen.Add(request); }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
