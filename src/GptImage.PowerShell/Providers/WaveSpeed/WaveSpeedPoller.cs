using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http.Retry;
using GptImage.Polling;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// Waits for a WaveSpeed task: looks at it when the learnt timings of its kind say to, sooner when a task of its kind
/// is seen ending, learns how long it took. Bounded only by the caller's token (the operation's -TimeoutSec).
/// </summary>
internal sealed class WaveSpeedPoller
{
    private readonly GptImageConnection _connection;
    private readonly ConnectionOptions _options;
    private readonly WaveSpeedResults _results;

    public WaveSpeedPoller(GptImageConnection connection, ConnectionOptions options, WaveSpeedResults results)
    {
        _connection = connection;
        _options = options;
        _results = results;
    }

    /// <summary>
    /// Polls until the prediction is final. When <paramref name="streamTo"/> is given, base64 outputs the final query
    /// is known to carry are written straight to their files there (the prediction returned has its Files).
    /// </summary>
    public async Task<Prediction> WaitAsync(Prediction prediction, SaveOptions? streamTo, CancellationToken cancellationToken)
    {
        var estimates = _connection.Latency;
        var key = prediction.TimingKey ?? LatencyEstimator.KeyOf(_options.BaseUri, prediction.ModelId, null, null);
        Prediction current;
        using (estimates.Join(key, prediction.SubmittedAt != 0 ? prediction.SubmittedAt : Stopwatch.GetTimestamp(), out var isScout))
        {
            current = await PollAsync(prediction, key, isScout, streamTo, cancellationToken).ConfigureAwait(false);
        }
        // Kept for the next session once the last task of its kind waited on here has ended (one write per batch).
        if (!estimates.IsWaitedOn(key)) { estimates.Save(); }
        _connection.Slots.Release(current.Id);
        return current;
    }

    private async Task<Prediction> PollAsync(Prediction prediction, string? key, Func<bool> isScout, SaveOptions? streamTo,
        CancellationToken cancellationToken)
    {
        var estimates = _connection.Latency;
        var watch = Stopwatch.StartNew();
        var current = prediction;
        var first = true;
        var queries = 0;
        var lastLook = 0L;
        while (!current.IsFinal)
        {
            var changed = estimates.Changed;
            // Known only by its id, a task may have ended long ago: it is looked at at once.
            var delay = first && current.SubmittedAt == 0 && current.CreatedAt is null ? TimeSpan.Zero
                : NextDelay(estimates, key, current, watch.Elapsed, isScout(), queries, lastLook, first ? RandomSource.NextDouble() : null);
            first = false;
            // After a change the loop works the look out again: due now, it is made at once; else it is slept for.
            if (delay > TimeSpan.Zero && !await SleepUntilDueAsync(watch, watch.Elapsed + delay, changed, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            lastLook = Stopwatch.GetTimestamp();
            queries++;
            current = await LookAsync(current, key, streamTo, cancellationToken).ConfigureAwait(false);
        }
        return current;
    }

    /// <summary>
    /// Sleeps until <paramref name="due"/> on <paramref name="watch"/>: true then, false as soon as <paramref name="changed"/>
    /// completes (a task of some kind ended, or a scout left or was replaced). Never wakes early: a timer that fires before
    /// the due time (the system timer is coarser than the stopwatch) sleeps the rest. A look a few milliseconds early finds
    /// the task still running and costs a query and the wait for the next one allowed.
    /// </summary>
    private static async Task<bool> SleepUntilDueAsync(Stopwatch watch, TimeSpan due, Task changed, CancellationToken cancellationToken)
    {
        for (var left = due - watch.Elapsed; left > TimeSpan.Zero; left = due - watch.Elapsed)
        {
            if (!await ChangeSignal.DelayOrChangeAsync(changed, left, cancellationToken).ConfigureAwait(false)) { return false; }
        }
        return true;
    }

    /// <summary>
    /// One result query, learning the task's duration when it completed. Base64 outputs are streamed to their files only
    /// when the query is known to carry them; a prediction known only by its id shows it is base64 in this answer, and is
    /// saved afterwards by the operation with one more query.
    /// </summary>
    private async Task<Prediction> LookAsync(Prediction current, string? key, SaveOptions? streamTo, CancellationToken cancellationToken)
    {
        var answer = await _results.QueryAsync(current, current.Base64Output ? streamTo : null, cancellationToken).ConfigureAwait(false);
        if (answer.Status == PredictionStatus.Completed)
        {
            _connection.Latency.Observe(key, answer.InferenceTime ?? answer.Running);
        }
        return answer;
    }

    private TimeSpan NextDelay(LatencyEstimator estimates, string? key, Prediction current, TimeSpan waited, bool scout, int queries, long lastLook,
        double? spread = null)
    {
        var last = estimates.LastEnd(key);
        return PollDelays.NextDelay(_options.PollSchedule, new PollState
        {
            Waited = waited,
            Running = current.Running,
            Expected = estimates.Estimate(key),
            Scout = scout,
            Queries = queries,
            SiblingEnded = last is { } l && l.At > lastLook ? l.Duration : null,
            FirstLookSpread = spread,
        });
    }
}
