using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace GptImage.Client;

/// <summary>
/// What a connection has learnt of how long each model's tasks take (the service's inference time of the
/// tasks it saw end). Waiters poll around the expected end instead of on a blind schedule, and are woken
/// when the first estimate for a model arrives, so a batch of similar tasks is seen ending almost at once.
/// </summary>
internal sealed class LatencyEstimator
{
    private const int Window = 16;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<TimeSpan>> _observed = new(StringComparer.Ordinal);
    private TaskCompletionSource<bool> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when any estimate changes.</summary>
    public Task Changed { get { lock (_gate) { return _changed.Task; } } }

    /// <summary>The median of the recent durations of a model, or null when none has been seen.</summary>
    public TimeSpan? Estimate(string? modelId)
    {
        if (modelId is null) { return null; }
        lock (_gate)
        {
            if (!_observed.TryGetValue(modelId, out var list) || list.Count == 0) { return null; }
            var sorted = list.OrderBy(t => t).ToList();
            return sorted[sorted.Count / 2];
        }
    }

    /// <summary>Records how long a task of a model took.</summary>
    public void Observe(string? modelId, TimeSpan duration)
    {
        if (modelId is null || duration <= TimeSpan.Zero) { return; }
        TaskCompletionSource<bool> changed;
        lock (_gate)
        {
            if (!_observed.TryGetValue(modelId, out var list)) { _observed[modelId] = list = new List<TimeSpan>(); }
            var before = list.Count == 0 ? (TimeSpan?)null : list.OrderBy(t => t).ElementAt(list.Count / 2);
            list.Add(duration);
            if (list.Count > Window) { list.RemoveAt(0); }
            var after = list.OrderBy(t => t).ElementAt(list.Count / 2);
            if (before == after) { return; }
            changed = _changed;
            _changed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult(true);
    }

    /// <summary>
    /// The delay before the next query of a task running for <paramref name="running"/>: before the expected
    /// end, just after it (with a coarse look now and then); after it, often for a while; then the schedule's.
    /// </summary>
    public static TimeSpan NextDelay(PollSchedule schedule, TimeSpan waited, TimeSpan running, TimeSpan? expected)
    {
        var delay = schedule.NextDelay(waited);
        if (expected is not { } estimate) { return delay; }
        var untilExpected = estimate - running;
        if (untilExpected > TimeSpan.Zero)
        {
            // Before the expected end: look just after it, and meanwhile only now and then (every half of the
            // time waited, at least a second) in case this task ends sooner than its siblings.
            var justAfter = untilExpected + TimeSpan.FromMilliseconds(25);
            var coarse = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, waited.Ticks / 2));
            return justAfter < coarse ? justAfter : coarse;
        }
        // Past the expected end: look often for a while (half the estimate), then back to the schedule.
        if (-untilExpected < TimeSpan.FromTicks(estimate.Ticks / 2))
        {
            var often = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, estimate.Ticks / 20));
            return often < delay ? often : delay;
        }
        return delay;
    }
}
