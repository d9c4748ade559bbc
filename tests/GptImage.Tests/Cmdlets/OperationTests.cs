using System.Diagnostics;
using GptImage.Commands.Base;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Operations;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Emulator;

namespace GptImage.Tests.Cmdlets;

/// <summary>The cmdlets' logic, driven as the cmdlets drive it (Process per record, End), through a recording sink.</summary>
public sealed class OperationTests
{
    private static readonly ImageTemplate Generate = new() { Quality = "low" };

    [Fact]
    public async Task New_gives_one_submitted_prediction_per_piped_prompt_without_waiting()
    {
        await using var h = await CmdletHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 5000 });
        var operationTemplate = Generate;
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings());
        await h.Pipeline(() =>
        {
            foreach (var prompt in new[] { "a", "b", "c", "d", "e" }) { operation.Process(operationTemplate, prompt); }
            operation.End();
        });
        Assert.Empty(h.Sink.Errors);
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, h.Sink.Predictions.Select(p => p.Prompt).OrderBy(p => p));
        Assert.All(h.Sink.Predictions, p => Assert.False(p.IsFinal));
        Assert.Equal(5, h.Server.Stats.Submits);
        Assert.Equal(0, h.Server.Stats.ResultQueries);
    }

    [Fact]
    public async Task New_with_an_output_directory_waits_saves_and_reports_progress_for_the_batch()
    {
        await using var h = await CmdletHarness.StartAsync();
        var operationTemplate = Generate;
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings(save: true));
        await h.Pipeline(() =>
        {
            for (var i = 0; i < 4; i++) { operation.Process(operationTemplate, $"prompt {i}"); }
            operation.End();
        });
        var predictions = h.Sink.Predictions.ToList();
        Assert.Equal(4, predictions.Count);
        Assert.All(predictions, p => Assert.True(Assert.Single(p.Files).Exists));
        Assert.Contains(h.Sink.Progress, p => !p.Completed && p.Status.Contains("of 4", StringComparison.Ordinal));
        Assert.True(h.Sink.Progress.Last().Completed);
        Assert.Contains(h.Sink.Progress, p => p.PercentComplete == 100);
        Assert.All(h.Sink.Progress, p => Assert.Equal(ActivityIds.New, p.ActivityId));
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task New_piped_to_Wait_keeps_two_progress_activities_each_with_one_title_and_its_own_end()
    {
        // Two cmdlets of one pipeline, one sink: New's end must not close Wait's bar, nor share its id.
        await using var h = await CmdletHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 300 });
        var submitTemplate = Generate;
        var submit = new NewImageOperation(h.Runner, h.Provider, h.Settings());
        using var waitRunner = new OperationRunner(h.Sink);
        var wait = new WaitPredictionOperation(waitRunner, h.Provider, h.Settings(wait: true));
        await h.Pipeline(() =>
        {
            submit.Process(submitTemplate, "a");
            submit.Process(submitTemplate, "b");
            submit.End();
            foreach (var prediction in h.Sink.Predictions.ToList()) { wait.Process(prediction); }
            wait.End();
        });
        Assert.Equal(5, new[] { ActivityIds.New, ActivityIds.Edit, ActivityIds.Get, ActivityIds.Wait, ActivityIds.Save }.Distinct().Count());
        var byActivity = h.Sink.Progress.GroupBy(p => p.ActivityId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(new[] { ActivityIds.New, ActivityIds.Wait }, byActivity.Keys.Order());
        Assert.Equal("Submitting image tasks", Assert.Single(byActivity[ActivityIds.New].Select(p => p.Activity).Distinct()));
        Assert.Equal("Waiting for predictions", Assert.Single(byActivity[ActivityIds.Wait].Select(p => p.Activity).Distinct()));
        Assert.True(byActivity[ActivityIds.Wait].Last().Completed);
        var newEnded = h.Sink.Progress.FindIndex(p => p.ActivityId == ActivityIds.New && p.Completed);
        Assert.Contains(h.Sink.Progress.Skip(newEnded), p => p.ActivityId == ActivityIds.Wait && !p.Completed);
        Assert.Equal(2, h.Sink.Predictions.Count(p => p.Status == PredictionStatus.Completed));
    }

    [Theory]
    [InlineData(null, "-OutputDirectory")]
    [InlineData("cat", "{id}")]
    public async Task A_name_shared_by_every_prediction_takes_one_prompt_and_refuses_the_next_before_submitting_it(string? template, string advice)
    {
        // Without a template the name is -OutFile's; with one that has no {id}, the template's.
        await using var h = await CmdletHarness.StartAsync();
        var save = template is null
            ? new SaveOptions { OutFile = Path.Combine(h.Folder, "one.png") }
            : new SaveOptions { Directory = h.Folder, FileNameTemplate = template };
        var operationTemplate = Generate;
        var operation = new NewImageOperation(h.Runner, h.Provider, new WaitSettings { Save = save });
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "first");
            operation.Process(operationTemplate, "second");
            operation.End();
        });
        Assert.Equal("first", Assert.Single(h.Sink.Predictions).Prompt);
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.InvalidParameter", error.ErrorId);
        Assert.Equal("InvalidArgument", error.Category);
        Assert.Equal("second", error.Target);
        Assert.Contains(advice, error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task A_template_with_source_names_each_edit_after_its_own_input()
    {
        await using var h = await CmdletHarness.StartAsync();
        var settings = new WaitSettings { Save = new SaveOptions { Directory = Path.Combine(h.Folder, "edited"), FileNameTemplate = "{source}edited" } };
        var operationTemplate = new ImageTemplate { Prompt = "x" };
        var operation = new EditImageOperation(h.Runner, h.Provider, settings, combine: false);
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, new[] { ImageSource.FromFile(h.WriteImage("a.png", 1)), ImageSource.FromFile(h.WriteImage("b.png", 2)) });
            operation.End();
        });
        Assert.Empty(h.Sink.Errors);
        Assert.Equal(new[] { "a-edited.png", "b-edited.png" }, h.Sink.Predictions.SelectMany(p => p.Files).Select(f => f.Name).Order());
    }

    [Fact]
    public async Task Wait_with_OutFile_saves_one_prediction_and_refuses_the_next()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var first = new GptImage.Prediction { Id = (await raw.SubmitAsync())["id"]!.GetValue<string>() };
        var second = new GptImage.Prediction { Id = (await raw.SubmitAsync())["id"]!.GetValue<string>() };
        var settings = new WaitSettings { Save = new SaveOptions { OutFile = Path.Combine(h.Folder, "one.png") } };
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, settings);
        await h.Pipeline(() =>
        {
            operation.Process(first);
            operation.Process(second);
            operation.End();
        });
        Assert.Equal(first.Id, Assert.Single(h.Sink.Predictions).Id);
        var error = Assert.Single(h.Sink.Errors);
        Assert.Same(second, error.Target);
        Assert.Equal("GptImage.InvalidParameter", error.ErrorId);
        Assert.True(File.Exists(Path.Combine(h.Folder, "one.png")));
    }

    [Fact]
    public async Task An_invalid_prompt_is_an_error_about_that_input_and_the_rest_go_on()
    {
        await using var h = await CmdletHarness.StartAsync();
        var operationTemplate = Generate;
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings());
        var tooLong = new string('x', 32001);
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "fine");
            operation.Process(operationTemplate, tooLong);
            operation.Process(operationTemplate, "also fine");
            operation.End();
        });
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.InvalidParameter", error.ErrorId);
        Assert.Equal("InvalidArgument", error.Category);
        Assert.Same(tooLong, error.Target);
        Assert.Equal(2, h.Sink.Predictions.Count());
        Assert.Equal(2, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task Declining_ShouldProcess_sends_nothing()
    {
        await using var h = await CmdletHarness.StartAsync();
        h.Sink.Confirm = false;
        var operationTemplate = new ImageTemplate { Size = "1536x1024", Quality = "high" };
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings(wait: true));
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "A T-Rex");
            operation.End();
        });
        var (target, action) = Assert.Single(h.Sink.ShouldProcessCalls);
        Assert.Equal("A T-Rex", target);
        Assert.Contains("gpt-image-1", action);
        Assert.Contains("size 1536x1024", action);
        Assert.Contains("quality high", action);
        Assert.Contains("$0.250 per image", action);
        Assert.Empty(h.Sink.Objects);
        Assert.Equal(0, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task Edit_gives_one_prediction_per_input_file_each_with_its_source_path()
    {
        await using var h = await CmdletHarness.StartAsync();
        var files = new[] { h.WriteImage("one.png", 1), h.WriteImage("two.png", 2), h.WriteImage("three.png", 3) };
        var operationTemplate = new ImageTemplate { Prompt = "pastel" };
        var operation = new EditImageOperation(h.Runner, h.Provider, h.Settings(save: true), combine: false);
        await h.Pipeline(() =>
        {
            foreach (var file in files) { operation.Process(operationTemplate, new[] { ImageSource.FromFile(file) }); }
            operation.End();
        });
        Assert.Empty(h.Sink.Errors);
        var predictions = h.Sink.Predictions.ToList();
        Assert.Equal(files.OrderBy(f => f), predictions.Select(p => p.SourcePath!).OrderBy(f => f));
        Assert.All(predictions, p => Assert.StartsWith(Path.GetFileNameWithoutExtension(p.SourcePath!) + "-", Assert.Single(p.Files).Name));
        Assert.Equal(3, h.Server.Stats.UploadPuts);
    }

    [Fact]
    public async Task Edit_reports_a_missing_or_non_image_file_as_an_error_with_that_path_and_submits_the_rest()
    {
        await using var h = await CmdletHarness.StartAsync();
        var good = h.WriteImage("good.png");
        var missing = Path.Combine(h.Folder, "missing.png");
        var text = Path.Combine(h.Folder, "notes.png");
        File.WriteAllText(text, "not an image");
        var operationTemplate = new ImageTemplate { Prompt = "x" };
        var operation = new EditImageOperation(h.Runner, h.Provider, h.Settings(), combine: false);
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, new[] { ImageSource.FromFile(missing), ImageSource.FromFile(good), ImageSource.FromFile(text) });
            operation.End();
        });
        Assert.Equal(new[] { ("GptImage.FileNotFound", "ObjectNotFound", (object?)missing), ("GptImage.InvalidFile", "InvalidData", text) },
            h.Sink.Errors.Select(e => (e.ErrorId, e.Category, e.Target)));
        Assert.Single(h.Sink.Predictions);
        Assert.Equal(1, h.Server.Stats.SubmitRequests);
    }

    [Fact]
    public async Task Edit_with_CombineImages_makes_one_edit_of_all_inputs()
    {
        await using var h = await CmdletHarness.StartAsync();
        var operationTemplate = new ImageTemplate { Prompt = "x", Model = "gpt-image-1-mini" };
        var operation = new EditImageOperation(h.Runner, h.Provider, h.Settings(), combine: true);
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, new[] { ImageSource.FromFile(h.WriteImage("a.png", 1)) });
            operation.Process(operationTemplate, new[] { ImageSource.FromFile(h.WriteImage("b.png", 2)), ImageSource.FromFile(h.WriteImage("c.png", 3)) });
            operation.End();
        });
        Assert.Single(h.Sink.Predictions);
        Assert.Equal(1, h.Server.Stats.Submits);
        Assert.Contains("3 images", Assert.Single(h.Sink.ShouldProcessCalls).Target);
    }

    [Fact]
    public async Task Wait_writes_each_prediction_as_it_ends_and_a_failed_one_as_an_error_that_lets_the_rest_finish()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        // The slow task cannot end while the test runs: what is written before it ends was written as it ended.
        var slow = (await raw.SubmitAsync(task: "latency=600000"))["id"]!.GetValue<string>();
        var moderated = (await raw.SubmitAsync(task: "fail=1200;latency=100"))["id"]!.GetValue<string>();
        var fast = (await raw.SubmitAsync(task: "latency=200"))["id"]!.GetValue<string>();
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, h.Settings(wait: true, timeoutSec: 600));
        var pipeline = h.Pipeline(() =>
        {
            foreach (var id in new[] { slow, moderated, fast }) { operation.Process(id); }
            operation.End();
        });
        Assert.True(h.Sink.WaitUntil(s => s.Objects.Count == 1 && s.Errors.Count == 1, TimeSpan.FromSeconds(30)), "the fast and the failed prediction were written");
        Assert.Equal(fast, Assert.Single(h.Sink.Predictions).Id);
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.ContentModerated", error.ErrorId);
        Assert.Equal("InvalidData", error.Category);
        Assert.Equal(moderated, Assert.IsType<GptImage.Prediction>(error.Target).Id);
        Assert.Equal(GptImage.Commands.Base.ErrorRecords.RecommendedActionOf(GptImageErrorKind.ContentModerated), error.RecommendedAction);
        Assert.True(h.Sink.WaitUntil(s => s.Progress.Any(p => p.Status.StartsWith("2 of 3 done, 1 failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)));
        Assert.False(pipeline.IsCompleted);
        h.Runner.Stop();
        await pipeline.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(fast, Assert.Single(h.Sink.Predictions).Id);
    }

    [Fact]
    public async Task Wait_passes_on_a_final_prediction_without_querying_the_service()
    {
        await using var h = await CmdletHarness.StartAsync();
        var done = new GptImage.Prediction { Id = "known", Status = PredictionStatus.Completed };
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, h.Settings(wait: true));
        await h.Pipeline(() =>
        {
            operation.Process(done);
            operation.End();
        });
        Assert.Same(done, Assert.Single(h.Sink.Objects));
        Assert.Equal(0, h.Server.Stats.ResultQueries);
    }

    [Fact]
    public async Task Wait_times_out_with_a_timeout_error_naming_the_prediction()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var id = (await raw.SubmitAsync(task: "latency=60000"))["id"]!.GetValue<string>();
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, h.Settings(wait: true, timeoutSec: 0.3));
        var input = new GptImage.Prediction { Id = id };
        await h.Pipeline(() =>
        {
            operation.Process(input);
            operation.End();
        });
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.Timeout", error.ErrorId);
        Assert.Equal("OperationTimeout", error.Category);
        Assert.Same(input, error.Target);
        // The one deadline's one message: the operation's, naming the input (a prediction's id) and -TimeoutSec.
        Assert.Contains($"'{id}' did not finish within -TimeoutSec 0.3 s", error.Exception.Message);
    }

    [Fact]
    public async Task While_nothing_ends_the_progress_bar_is_refreshed_with_the_time_waited()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        // A task that outlasts the wait: the wait runs for its whole timeout, however long setting up took.
        var id = (await raw.SubmitAsync(task: "latency=60000"))["id"]!.GetValue<string>();
        var settings = new WaitSettings { Wait = true, Timeout = TimeSpan.FromMilliseconds(600), ProgressRefresh = TimeSpan.FromMilliseconds(50) };
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, settings);
        await h.Pipeline(() =>
        {
            operation.Process(new GptImage.Prediction { Id = id });
            operation.End();
        });
        Assert.Equal("GptImage.Timeout", Assert.Single(h.Sink.Errors).ErrorId);
        var waiting = h.Sink.Progress.Where(p => !p.Completed && p.Status.StartsWith("0 of 1 done", StringComparison.Ordinal)).ToList();
        // One record when the wait starts; the rest are refreshes while it waits (about 12 at 50 ms).
        Assert.True(waiting.Count >= 3, $"{waiting.Count} progress records while waiting: " + string.Join(" | ", h.Sink.Progress.Select(p => p.Status)));
        Assert.All(waiting, p => Assert.Matches(@", \d+ s elapsed$", p.Status));
        Assert.True(h.Sink.Progress.Last().Completed);
    }

    [Fact]
    public async Task Get_queries_each_id_once_and_reports_an_unknown_one_as_not_found()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) { ids.Add((await raw.SubmitAsync())["id"]!.GetValue<string>()); }
        var operation = new GetPredictionOperation(h.Runner, h.Provider);
        await h.Pipeline(() =>
        {
            foreach (var id in ids.Append("nope")) { operation.Process(id); }
            operation.End();
        });
        Assert.Equal(ids.OrderBy(i => i), h.Sink.Predictions.Select(p => p.Id).OrderBy(i => i));
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal(("GptImage.NotFound", "ObjectNotFound", (object?)"nope"), (error.ErrorId, error.Category, error.Target));
        Assert.Equal(4, h.Server.Stats.ResultQueries);
    }

    [Fact]
    public async Task Save_writes_the_saved_files_and_refuses_to_overwrite_without_force()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var id = (await raw.SubmitAsync())["id"]!.GetValue<string>();
        var operation = new SavePredictionOperation(h.Runner, h.Provider, h.Settings(save: true));
        await h.Pipeline(() =>
        {
            operation.Process(new GptImage.Prediction { Id = id });
            operation.End();
        });
        var file = Assert.IsType<FileInfo>(Assert.Single(h.Sink.Objects));
        Assert.True(file.Exists);

        var second = new SavePredictionOperation(h.Runner, h.Provider, h.Settings(save: true));
        await h.Pipeline(() =>
        {
            second.Process(new GptImage.Prediction { Id = id });
            second.End();
        });
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal(("GptImage.FileExists", "ResourceExists"), (error.ErrorId, error.Category));
    }

    [Fact]
    public async Task Save_with_Force_replaces_the_content_of_an_existing_file_and_without_it_keeps_it()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var id = (await raw.SubmitAsync())["id"]!.GetValue<string>();
        var target = Path.Combine(h.Folder, "poster.png");
        File.WriteAllText(target, "keep me");

        async Task Save(bool force)
        {
            var settings = new WaitSettings { Save = SaveOptions.FromParameters(null, target, null, force) };
            var operation = new SavePredictionOperation(h.Runner, h.Provider, settings);
            await h.Pipeline(() =>
            {
                operation.Process(new GptImage.Prediction { Id = id });
                operation.End();
            });
        }

        await Save(force: false);
        Assert.Equal("GptImage.FileExists", Assert.Single(h.Sink.Errors).ErrorId);
        Assert.Equal("keep me", File.ReadAllText(target));
        Assert.Empty(h.Sink.Objects);

        await Save(force: true);
        Assert.Single(h.Sink.Errors);
        Assert.Equal(target, Assert.IsType<FileInfo>(Assert.Single(h.Sink.Objects)).FullName);
        Assert.Equal(await raw.Http.GetByteArrayAsync(new Uri(h.Server.BaseUri, $"outputs/{id}/0.png")), File.ReadAllBytes(target));
        Assert.Empty(h.TempFiles());
    }

    [Theory]
    [InlineData("Save")]
    [InlineData("Wait")]
    public async Task Declining_ShouldProcess_on_Save_or_Wait_with_an_output_directory_queries_downloads_and_writes_nothing(string cmdlet)
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var id = (await raw.SubmitAsync())["id"]!.GetValue<string>();
        await raw.WaitFinalAsync(id);
        var queries = h.Server.Stats.ResultQueries;
        h.Sink.Confirm = false;
        PredictionOperation operation;
        Action<GptImage.Prediction> process;
        if (cmdlet == "Save")
        {
            var save = new SavePredictionOperation(h.Runner, h.Provider, h.Settings(save: true));
            (operation, process) = (save, save.Process);
        }
        else
        {
            var wait = new WaitPredictionOperation(h.Runner, h.Provider, h.Settings(wait: true, save: true));
            (operation, process) = (wait, wait.Process);
        }
        await h.Pipeline(() =>
        {
            process(new GptImage.Prediction { Id = id });
            operation.End();
        });
        Assert.Equal((id, $"Save outputs to {h.Folder}"), Assert.Single(h.Sink.ShouldProcessCalls));
        Assert.Empty(h.Sink.Objects);
        Assert.Empty(h.Sink.Errors);
        Assert.Equal((queries, 0L), (h.Server.Stats.ResultQueries, h.Server.Stats.DownloadRequests));
        Assert.Empty(Directory.GetFiles(h.Folder));
    }

    [Fact]
    public async Task Declining_ShouldProcess_on_Edit_uploads_and_submits_nothing()
    {
        await using var h = await CmdletHarness.StartAsync();
        var file = h.WriteImage("room.png");
        h.Sink.Confirm = false;
        var operationTemplate = new ImageTemplate { Prompt = "a view of the sea" };
        var operation = new EditImageOperation(h.Runner, h.Provider, h.Settings(save: true), combine: false);
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, new[] { ImageSource.FromFile(file) });
            operation.End();
        });
        var (target, action) = Assert.Single(h.Sink.ShouldProcessCalls);
        Assert.Equal(file, target);
        Assert.Equal("Submit a paid image task (gpt-image-1, size auto, quality medium, 1 input image, price not published)", action);
        Assert.Empty(h.Sink.Objects);
        var stats = h.Server.Stats;
        Assert.Equal((0L, 0L, 0L, 0L), (stats.Uploads, stats.UploadPuts, stats.BinaryUploads, stats.SubmitRequests));
    }

    [Fact]
    public async Task Nsfw_outputs_are_a_warning_and_a_property()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var id = (await raw.SubmitAsync(task: "nsfw"))["id"]!.GetValue<string>();
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, h.Settings(wait: true));
        await h.Pipeline(() =>
        {
            operation.Process(id);
            operation.End();
        });
        Assert.True(Assert.Single(h.Sink.Predictions).HasNsfwContents);
        Assert.Contains("NSFW", Assert.Single(h.Sink.Warnings));
    }

    [Fact]
    public async Task Verbose_tells_each_request_method_url_status_and_time_never_the_key()
    {
        await using var h = await CmdletHarness.StartAsync();
        var operationTemplate = Generate;
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings(wait: true));
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "x");
            operation.End();
        });
        Assert.Contains(h.Sink.Verbose, v => v.StartsWith("POST http://127.0.0.1:", StringComparison.Ordinal) && v.Contains("-> 200 OK in", StringComparison.Ordinal));
        Assert.Contains(h.Sink.Verbose, v => v.StartsWith("GET ", StringComparison.Ordinal) && v.Contains("/result", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Verbose, v => v.Contains(h.Server.Options.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_ends_every_wait_promptly_and_writes_nothing_more()
    {
        await using var h = await CmdletHarness.StartAsync();
        using var raw = new EmulatorClient(h.Server);
        var ids = new List<string>();
        for (var i = 0; i < 10; i++) { ids.Add((await raw.SubmitAsync(task: "latency=60000"))["id"]!.GetValue<string>()); }
        var operation = new WaitPredictionOperation(h.Runner, h.Provider, h.Settings(wait: true, timeoutSec: 120));
        await h.Pipeline(() => ids.ForEach(operation.Process));
        // Stop returns once every piece of work has ended, or gives up after StopGrace.
        var stopping = Stopwatch.StartNew();
        h.Runner.Stop();
        Assert.True(stopping.Elapsed < OperationRunner.StopGrace, $"all work ended ({stopping.Elapsed} to stop)");
        await h.Pipeline(h.Runner.Pump);
        Assert.Empty(h.Sink.Objects);
        Assert.Empty(h.Sink.Errors);
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi)]
    [InlineData(ProviderKind.OpenAI)]
    public async Task The_images_api_providers_give_the_same_objects_errors_and_files(ProviderKind kind)
    {
        await using var h = await CmdletHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var options = Client.ClientHarness.OptionsFor(h.Server);
        options.Provider = kind;
        using var connection = new GptImageConnection(options);
        var provider = connection.CreateClient(log: line => h.Runner.Post(s => s.WriteVerbose(line)));
        var operationTemplate = new ImageTemplate { Provider = kind };
        var operation = new NewImageOperation(h.Runner, provider, h.Settings(save: true));
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "a cat");
            operation.Process(operationTemplate, "refused [emulator:fail=1200]");
            operation.Process(operationTemplate, "a dog");
            operation.End();
        });
        var predictions = h.Sink.Predictions.ToList();
        Assert.Equal(2, predictions.Count);
        Assert.All(predictions, p => Assert.Equal((PredictionStatus.Completed, kind.ToString()), (p.Status, p.Provider)));
        Assert.All(predictions, p => Assert.True(Assert.Single(p.Files).Exists));
        // The emulator's usage: AIML API 0.042 USD per image; OpenAI 1056 output tokens and a token per 4 prompt characters.
        Assert.All(predictions, p => Assert.Equal(kind == ProviderKind.AimlApi ? (0.042m, null) : (null, 1056 + 1), (p.Usage!.Usd, p.Usage.TotalTokens)));
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal(("GptImage.ContentModerated", "InvalidData"), (error.ErrorId, error.Category));
        Assert.Equal(PredictionStatus.Failed, Assert.IsType<GptImage.Prediction>(error.Target).Status);
        Assert.Contains(h.Sink.Verbose, v => v.StartsWith("POST ", StringComparison.Ordinal) && v.Contains("/v1/images/generations", StringComparison.Ordinal));
    }
}
