using System;

namespace GptImage.Polling;

/// <summary>
/// When a waiting task looks next: the rule that turns what its connection has learnt (<see cref="LatencyEstimator"/>)
/// and the task's <see cref="PollState"/> into a delay, within the query rate the service asks for.
/// </summary>
internal static class PollDelays
{
    // The expected end counts from the submit's answer, after the task started; the margin puts the look just past it.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(3);

    /// <summary>
    /// The delay before a task's next query. A sibling seen ending since the task last looked: look when the
    /// task has run as long as the sibling did. A task first waited on after its expected end: look at once. Else, with an expected duration: just after the expected end;
    /// before it, the scout also looks now and then (every half of the time waited, at least a second) in case
    /// the batch ends early; after it, the scout looks often for half the estimate, the others on the
    /// schedule (they are woken when the scout sees the end). Without one, the scout follows the schedule and
    /// the others look at most once per <see cref="PollSchedule.AverageInterval"/>. In every case a task makes
    /// at most one query per <see cref="PollSchedule.AverageInterval"/> on average over its wait, beyond the first.
    /// </summary>
    public static TimeSpan NextDelay(PollSchedule schedule, PollState state)
    {
        var delay = Unbounded(schedule, state);
        if (state.FirstLookSpread is { } spread && state.Expected is null && state.SiblingEnded is null && schedule.SpreadFirstDelay)
        {
            // Blind: the tasks of a batch look at different moments (and keep those phases, a second or more
            // apart), so between them the batch is looked at often and the first end seen wakes the rest.
            delay = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + spread)));
        }
        var floor = TimeSpan.FromTicks((schedule.AverageInterval.Ticks * state.Queries) - state.Waited.Ticks);
        return delay < floor ? floor : delay;
    }

    private static TimeSpan Unbounded(PollSchedule schedule, PollState state)
    {
        if (state.SiblingEnded is { } sibling)
        {
            var untilSibling = sibling - state.Running;
            return untilSibling > TimeSpan.Zero ? untilSibling + Margin : TimeSpan.Zero;
        }
        var delay = schedule.NextDelay(state.Waited);
        if (state.Expected is not { } estimate)
        {
            return state.Scout || delay >= schedule.AverageInterval ? delay : schedule.AverageInterval;
        }
        var untilExpected = estimate - state.Running;
        if (untilExpected <= TimeSpan.Zero && state.Queries == 0)
        {
            // Waited on only after it should have ended (submitted earlier, waited on now): look at once.
            return TimeSpan.Zero;
        }
        if (untilExpected > TimeSpan.Zero)
        {
            var justAfter = untilExpected + Margin;
            if (!state.Scout) { return justAfter; }
            var coarse = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, state.Waited.Ticks / 2));
            return justAfter < coarse ? justAfter : coarse;
        }
        if (state.Scout && -untilExpected < TimeSpan.FromTicks(estimate.Ticks / 2))
        {
            var often = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, estimate.Ticks / 20));
            return often < delay ? often : delay;
        }
        return delay;
    }
}
