using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Client;

namespace GptImage.Operations;

/// <summary>What New-, Edit-, Wait- and Save- share: waiting, saving and the batch's one progress bar.</summary>
public sealed record WaitSettings
{
    /// <summary>Wait for the task to end (-Wait, or implied by an output location).</summary>
    public bool Wait { get; init; }
    /// <summary>-TimeoutSec of the wait.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Where outputs are saved; null to not save.</summary>
    public SaveOptions? Save { get; init; }
    /// <summary>How often the progress bar is refreshed while waiting (the host draws only what arrives).</summary>
    public TimeSpan ProgressRefresh { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The progress activity ids, one per cmdlet: in <c>New-GptImage | Wait-GptImagePrediction</c> each keeps
/// its own bar and title, and New's ending does not close Wait's.
/// </summary>
public static class ActivityIds
{
    /// <summary>New-GptImage.</summary>
    public const int New = 0x6A1;
    /// <summary>Edit-GptImage.</summary>
    public const int Edit = 0x6A2;
    /// <summary>Get-GptImagePrediction.</summary>
    public const int Get = 0x6A3;
    /// <summary>Wait-GptImagePrediction.</summary>
    public const int Wait = 0x6A4;
    /// <summary>Save-GptImage.</summary>
    public const int Save = 0x6A5;
}

/// <summary>
/// The shared core of the cmdlets that submit and wait: runs one piece of work per input on the runner,
/// writes each prediction as soon as it ends, reports failures as non-terminating errors that let the rest
/// finish, warns about NSFW outputs and keeps one progress bar for the whole batch.
/// </summary>
public abstract class PredictionOperation
{
    private readonly string _activity;
    private readonly int _activityId;
    private int _started, _ended, _failed;
    private readonly Stopwatch _elapsed = new();
    private string _current = string.Empty;
    private readonly Dictionary<string, string> _claimedNames = new(StringComparer.Ordinal);

    /// <summary>Creates the operation.</summary>
    protected PredictionOperation(OperationRunner runner, IImageApiClient provider, WaitSettings settings, string activity, int activityId)
    {
        Runner = runner ?? throw new ArgumentNullException(nameof(runner));
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _activity = activity;
        _activityId = activityId;
    }

    /// <summary>The runner.</summary>
    protected OperationRunner Runner { get; }
    /// <summary>The provider.</summary>
    protected IImageApiClient Provider { get; }
    /// <summary>Waiting and saving.</summary>
    protected WaitSettings Settings { get; }

    /// <summary>Runs one item's work; what it returns is written when it ends.</summary>
    protected void Run(object target, string label, Func<CancellationToken, Task<Prediction?>> work)
    {
        Interlocked.Increment(ref _started);
        if (!_elapsed.IsRunning) { _elapsed.Start(); }
        Progress(label);
        Runner.Start(async ct =>
        {
            Prediction? result = null;
            // -TimeoutSec bounds everything the item does: submit, uploads, queries, downloads and their retries.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Settings.Timeout);
            try
            {
                result = await work(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                throw new GptImageException(GptImageErrorKind.Timeout,
                    $"'{label}' did not finish within -TimeoutSec {Settings.Timeout.TotalSeconds:0.#} s (submit, uploads, waiting and downloads included). " +
                    "A task that was submitted keeps running on the service: query it later with Get-GptImagePrediction.", innerException: e);
            }
            catch (GptImageException e) when (e.Prediction is { } paid)
            {
                // The task was paid for but its outputs were not saved: the prediction is still written, and the
                // error names it as its target, so Save-GptImage can be given either.
                Interlocked.Increment(ref _failed);
                result = paid;
                Runner.Post(sink => sink.WriteError(ErrorMapping.ToErrorInfo(e, paid)));
            }
            catch (GptImageException)
            {
                Interlocked.Increment(ref _failed);
                throw;
            }
            finally
            {
                Interlocked.Increment(ref _ended);
                Progress(result is null ? label : $"{result.Id} {result.Status}");
            }
            if (result is not null) { Emit(result, target); }
        }, target);
    }

    /// <summary>Waits (and saves) when asked, else returns the prediction as it is.</summary>
    protected async Task<Prediction> FinishAsync(Prediction prediction, CancellationToken cancellationToken)
    {
        if (!Settings.Wait && Settings.Save is null) { return prediction; }
        if (prediction.IsFinal && (Settings.Save is null || prediction.Status != PredictionStatus.Completed)) { return prediction; }
        if (prediction.IsFinal) { return await Provider.SaveAsync(prediction, Settings.Save!, cancellationToken).ConfigureAwait(false); }
        return await Provider.WaitAsync(prediction, Settings.Timeout, Settings.Save, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a prediction: a failed one as an error whose target is the prediction.</summary>
    protected virtual void Emit(Prediction prediction, object target)
    {
        var failed = prediction.IsFinal && prediction.Status != PredictionStatus.Completed;
        if (failed) { Interlocked.Increment(ref _failed); }
        Runner.Post(sink =>
        {
            if (prediction.HasNsfwContents)
            {
                sink.WriteWarning($"Prediction {prediction.Id}: the service flagged {prediction.NsfwFlags.Count(f => f)} of {prediction.NsfwFlags.Count} outputs as NSFW (see HasNsfwContents).");
            }
            if (failed)
            {
                sink.WriteError(ErrorMapping.ToErrorInfo(WaveSpeedClient.FailureOf(prediction), prediction));
            }
            else
            {
                WriteResult(sink, prediction);
            }
        });
    }

    /// <summary>Writes a successful prediction (Save-GptImage writes its files instead).</summary>
    protected virtual void WriteResult(ICmdletSink sink, Prediction prediction) => sink.WriteObject(prediction);

    private void Progress(string current)
    {
        Volatile.Write(ref _current, current);
        var progress = CurrentProgress(current);
        Runner.Post(sink => sink.WriteProgress(progress));
    }

    private ProgressInfo CurrentProgress(string current)
    {
        var started = Volatile.Read(ref _started);
        var ended = Volatile.Read(ref _ended);
        var failed = Volatile.Read(ref _failed);
        return new ProgressInfo
        {
            ActivityId = _activityId,
            Activity = _activity,
            Status = string.Format(CultureInfo.InvariantCulture, "{0} of {1} done{2}, {3:0} s elapsed",
                ended, started, failed > 0 ? $", {failed} failed" : string.Empty, _elapsed.Elapsed.TotalSeconds),
            CurrentOperation = current,
            PercentComplete = started == 0 ? 0 : (int)(100L * ended / started),
        };
    }

    /// <summary>Waits for everything (EndProcessing) and closes the progress bar.</summary>
    public void End()
    {
        OnEnd();
        Runner.Drain(Settings.ProgressRefresh, sink => sink.WriteProgress(CurrentProgress(Volatile.Read(ref _current))));
        Runner.Post(sink => sink.WriteProgress(new ProgressInfo { ActivityId = _activityId, Activity = _activity, Status = "Done", Completed = true }));
        Runner.Pump();
    }

    /// <summary>Work that can only start once all input has arrived.</summary>
    protected virtual void OnEnd()
    {
    }

    /// <summary>Reports an input that could not be used, at once (pipeline thread).</summary>
    protected void Reject(GptImageException exception, object target) =>
        Runner.Sink.WriteError(ErrorMapping.ToErrorInfo(exception, target));

    /// <summary>
    /// When output names cannot tell predictions apart (-OutFile, or a template without {id}), the first input
    /// claims its name; a later input that would get the same name is refused before anything is submitted or
    /// saved for it (its paid task would only collide with the first file).
    /// </summary>
    protected bool ClaimSaveName(object target, string label, string? sourcePath)
    {
        if (Settings.Save is not { } save || save.SharedName(sourcePath) is not { } name) { return true; }
        if (!_claimedNames.TryGetValue(name, out var first))
        {
            _claimedNames.Add(name, label);
            return true;
        }
        Reject(save.OutFile is not null
            ? GptImageException.InvalidParameter("OutFile",
                $"-OutFile names one file, which '{first}' already goes to ({save.OutFile}). Use -OutputDirectory, with -FileNameTemplate if needed, for several inputs.")
            : GptImageException.InvalidParameter("FileNameTemplate",
                $"-FileNameTemplate '{save.FileNameTemplate}' has no {{id}}, so this input's images would take the names of '{first}'. Add {{id}} to the template, or give one input per name."),
            target);
        return false;
    }

    /// <summary>Whether a finished or running prediction's outputs may be saved: its name is free and ShouldProcess agrees.</summary>
    protected bool MaySave(Prediction prediction) =>
        ClaimSaveName(prediction, prediction.Id, prediction.SourcePath)
        && Runner.Sink.ShouldProcess(prediction.Id, $"Save outputs to {Settings.Save!.OutFile ?? Settings.Save.Directory}");

    /// <summary>The ShouldProcess action text for submitting a request.</summary>
    protected static string SubmitAction(ImageRequest request) => $"Submit a paid image task ({request.Describe()})";
}

/// <summary>New-GptImage: text to image, per prompt.</summary>
public sealed class NewImageOperation : PredictionOperation
{
    private readonly Func<string, ImageRequest> _build;

    /// <summary>Creates the operation; <paramref name="build"/> makes a validated request from a prompt.</summary>
    public NewImageOperation(OperationRunner runner, IImageApiClient provider, WaitSettings settings, Func<string, ImageRequest> build)
        : base(runner, provider, settings, settings.Wait || settings.Save is not null ? "Generating images" : "Submitting image tasks", ActivityIds.New) => _build = build;

    /// <summary>One prompt (pipeline thread): validate, ask ShouldProcess, start.</summary>
    public void Process(string prompt)
    {
        ImageRequest request;
        try
        {
            request = _build(prompt);
        }
        catch (GptImageException e)
        {
            Reject(e, prompt);
            return;
        }
        if (!ClaimSaveName(prompt, Shorten(prompt), null) || !Runner.Sink.ShouldProcess(Shorten(prompt), SubmitAction(request))) { return; }
        Run(prompt, Shorten(prompt), async ct =>
        {
            var submitted = await Provider.SubmitAsync(request, ct).ConfigureAwait(false);
            return await FinishAsync(submitted, ct).ConfigureAwait(false);
        });
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
}

/// <summary>Edit-GptImage: one edit per input image, or all inputs as the references of one edit.</summary>
public sealed class EditImageOperation : PredictionOperation
{
    private readonly Func<IReadOnlyList<ImageSource>, ImageRequest> _build;
    private readonly bool _combine;
    private readonly List<ImageSource> _collected = new();

    /// <summary>Creates the operation; <paramref name="combine"/> makes all inputs one edit.</summary>
    public EditImageOperation(OperationRunner runner, IImageApiClient provider, WaitSettings settings,
        Func<IReadOnlyList<ImageSource>, ImageRequest> build, bool combine)
        : base(runner, provider, settings, settings.Wait || settings.Save is not null ? "Editing images" : "Submitting edit tasks", ActivityIds.Edit)
    {
        _build = build;
        _combine = combine;
    }

    /// <summary>The inputs of one pipeline record (pipeline thread).</summary>
    public void Process(IEnumerable<ImageSource> images)
    {
        foreach (var image in images)
        {
            if (_combine) { _collected.Add(image); }
            else { Submit(new[] { image }, image); }
        }
    }

    /// <inheritdoc />
    protected override void OnEnd()
    {
        if (_combine && _collected.Count > 0) { Submit(_collected.ToArray(), _collected[0]); }
    }

    private void Submit(IReadOnlyList<ImageSource> images, ImageSource first)
    {
        ImageRequest request;
        try
        {
            request = _build(images);
            request.CheckLocalFiles();
        }
        catch (GptImageException e)
        {
            Reject(e, first.ToString());
            return;
        }
        var target = images.Count == 1 ? first.ToString() : $"{images.Count} images ({string.Join(", ", images.Select(i => Path.GetFileName(i.ToString())))})";
        if (!ClaimSaveName(first.ToString(), target, first.ToString()) || !Runner.Sink.ShouldProcess(target, SubmitAction(request))) { return; }
        Run(first.ToString(), target, async ct =>
        {
            var submitted = await Provider.SubmitAsync(request, ct).ConfigureAwait(false);
            return await FinishAsync(submitted, ct).ConfigureAwait(false);
        });
    }
}

/// <summary>Get-GptImagePrediction: one query per id.</summary>
public sealed class GetPredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public GetPredictionOperation(OperationRunner runner, IImageApiClient provider)
        : base(runner, provider, new WaitSettings(), "Querying predictions", ActivityIds.Get)
    {
    }

    /// <summary>One id (pipeline thread).</summary>
    public void Process(string id) => Run(id, id, ct => Provider.GetAsync(id, ct)!);

    /// <inheritdoc />
    protected override void Emit(Prediction prediction, object target) => Runner.Post(sink => sink.WriteObject(prediction));
}

/// <summary>Wait-GptImagePrediction: every input waited on at once, each written as it ends.</summary>
public sealed class WaitPredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public WaitPredictionOperation(OperationRunner runner, IImageApiClient provider, WaitSettings settings)
        : base(runner, provider, settings with { Wait = true }, "Waiting for predictions", ActivityIds.Wait)
    {
    }

    /// <summary>One prediction (pipeline thread). Final ones without saving are passed on without a query.</summary>
    public void Process(Prediction prediction)
    {
        if (Settings.Save is not null && !MaySave(prediction)) { return; }
        Run(prediction, prediction.Id, ct => FinishAsync(prediction, ct)!);
    }

    /// <summary>One id (pipeline thread).</summary>
    public void Process(string id) => Process(new Prediction { Id = id });
}

/// <summary>Save-GptImage: predictions in, saved files (FileInfo) out.</summary>
public sealed class SavePredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public SavePredictionOperation(OperationRunner runner, IImageApiClient provider, WaitSettings settings)
        : base(runner, provider, settings with { Wait = true, Save = settings.Save ?? throw new ArgumentException("Save is required.", nameof(settings)) }, "Saving images", ActivityIds.Save)
    {
    }

    /// <summary>One prediction (pipeline thread).</summary>
    public void Process(Prediction prediction)
    {
        if (!MaySave(prediction)) { return; }
        Run(prediction, prediction.Id, ct => FinishAsync(prediction, ct)!);
    }

    /// <inheritdoc />
    protected override void WriteResult(ICmdletSink sink, Prediction prediction)
    {
        foreach (var file in prediction.Files) { sink.WriteObject(file); }
    }
}
