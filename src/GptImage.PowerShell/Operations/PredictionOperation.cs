using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Operations;

/// <summary>
/// The shared core of the cmdlets that submit and wait: runs one piece of work per input on the runner,
/// writes each prediction as soon as it ends, reports failures as non-terminating errors that let the rest
/// finish, warns about NSFW outputs and keeps one progress bar for the whole batch.
/// </summary>
internal abstract class PredictionOperation
{
    private readonly string _activity;
    private readonly int _activityId;
    private int _started, _ended, _failed;
    private readonly Stopwatch _elapsed = new();
    private string _current = string.Empty;
    private readonly Dictionary<string, string> _claimedNames = new(StringComparer.Ordinal);

    /// <summary>Creates the operation.</summary>
    protected PredictionOperation(OperationRunner runner, IImageApiClient client, WaitSettings settings, string activity, int activityId)
    {
        Runner = runner ?? throw new ArgumentNullException(nameof(runner));
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _activity = activity;
        _activityId = activityId;
        Paid.Destination = settings.Save?.OutFile ?? settings.Save?.Directory;
        runner.StoppedWarning = Paid.StopWarning;
    }

    /// <summary>The call's paid tasks in the journal.</summary>
    protected PaidTasks Paid { get; } = new();

    /// <summary>The runner.</summary>
    protected OperationRunner Runner { get; }
    /// <summary>The client of the call's provider.</summary>
    protected IImageApiClient Client { get; }
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
                Runner.Post(sink => sink.WriteError(ErrorInfo.Of(e, paid)));
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

    /// <summary>Waits and saves as the settings say (<see cref="WaitAndSaveAsync"/>), a reference queried again first (<see cref="PredictionReferences"/>); a task saved or failed leaves the journal.</summary>
    protected Task<Prediction> FinishAsync(Prediction prediction, CancellationToken cancellationToken) => FinishAsync(prediction, Settings, cancellationToken);

    private async Task<Prediction> FinishAsync(Prediction prediction, WaitSettings settings, CancellationToken cancellationToken)
    {
        var current = await PredictionReferences.CurrentAsync(Client, prediction, cancellationToken).ConfigureAwait(false);
        var done = settings.Waits ? await WaitAndSaveAsync(Client, current, settings.Save, cancellationToken).ConfigureAwait(false) : current;
        Warn(Paid.Finished(done));
        return done;
    }

    /// <summary>
    /// The one place that decides saving after a wait. The client only waits (bounded by the item's deadline, see <see cref="Run"/>); when
    /// outputs are to be saved, it may write those the final answer carries inline (WaveSpeed's base64) at once, and whatever it did not is saved here.
    /// </summary>
    internal static async Task<Prediction> WaitAndSaveAsync(IImageApiClient client, Prediction prediction, SaveOptions? save, CancellationToken cancellationToken)
    {
        var final = prediction.IsFinal ? prediction : await client.WaitAsync(prediction, save, cancellationToken).ConfigureAwait(false);
        // A prediction the client answered with its Files had its outputs streamed to them by the final query.
        var streamed = !ReferenceEquals(final, prediction) && final.Files.Count > 0;
        if (save is null || final.Status != PredictionStatus.Completed || streamed) { return final; }
        return await client.SaveAsync(final, save, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a prediction: a failed one as an error whose target is the prediction.</summary>
    protected virtual void Emit(Prediction prediction, object target)
    {
        var failed = prediction.IsFinal && prediction.Status != PredictionStatus.Completed;
        if (failed) { Interlocked.Increment(ref _failed); }
        Runner.Post(sink =>
        {
            if (TaskOutputs.Warning(prediction) is { } dropped) { sink.WriteWarning(dropped); }
            if (TaskOutputs.UnsavedWarning(prediction) is { } unsaved) { sink.WriteWarning(unsaved); }
            if (prediction.HasNsfwContents)
            {
                sink.WriteWarning($"Prediction {prediction.Id}: the service flagged {prediction.NsfwFlags.Count(f => f)} of {prediction.NsfwFlags.Count} outputs as NSFW (see HasNsfwContents).");
            }
            if (failed)
            {
                sink.WriteError(ErrorInfo.Of(prediction.ToFailure(), prediction));
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
    protected virtual void OnEnd() { }

    /// <summary>Writes <paramref name="warning"/> unless null (any thread).</summary>
    protected void Warn(string? warning) => Runner.Post(warning is null ? null : sink => sink.WriteWarning(warning));

    /// <summary>Reports an input that could not be used, at once (pipeline thread).</summary>
    protected void Reject(GptImageException exception, object target) => Runner.Sink.WriteError(ErrorInfo.Of(exception, target));

    /// <summary>
    /// When output names cannot tell predictions apart (-OutFile, or a template without {id}), the first input claims its name; a later input
    /// that would get the same name is refused before anything is submitted or saved for it (its paid task would only collide with the first file).
    /// </summary>
    protected bool ClaimSaveName(object target, string label, string? sourcePath) => ClaimSaveName(target, label, sourcePath, Settings.Save);

    private bool ClaimSaveName(object target, string label, string? sourcePath, SaveOptions? saving)
    {
        if (saving is not { } save || save.SharedName(sourcePath) is not { } name) { return true; }
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

    /// <summary>
    /// Whether an input whose own values (a CSV row's size, quality, -OutFile…) make <paramref name="settings"/> may
    /// go on: its outputs could be saved where it asks. When not, the input alone is refused (pipeline thread).
    /// </summary>
    protected bool Accepts(ImageTemplate template, WaitSettings settings, object target)
    {
        if (ReferenceEquals(settings, Settings) || settings.Save is not { } save) { return true; }
        try
        {
            template.CheckSave(save);
            return true;
        }
        catch (GptImageException e)
        {
            Reject(e, target);
            return false;
        }
    }

    /// <summary>
    /// Submits <paramref name="request"/> for the input <paramref name="target"/> (pipeline thread): its output name is claimed and ShouldProcess
    /// asked first; then the task is submitted (each partial image reported as progress), journalled, waited on and saved as <paramref name="settings"/> (an input's own, else the call's) say.
    /// </summary>
    protected void Submit(ImageRequest request, object target, string label, WaitSettings? settings = null)
    {
        var own = settings ?? Settings;
        if (!ClaimSaveName(target, label, request.SourcePath, own.Save)
            || !Runner.Sink.ShouldProcess(label, $"Submit a paid image task ({request.Describe()})")) { return; }
        Run(target, label, async ct =>
        {
            var submitted = await Client.SubmitAsync(request.Reporting(p => Progress($"{label}: partial image {p.Index + 1} of {p.Requested} saved to {p.Path}")), ct).ConfigureAwait(false);
            Warn(Paid.Submitted(submitted, request.Prompt, own.Save));
            return await FinishAsync(submitted, own, ct).ConfigureAwait(false);
        });
    }
}
