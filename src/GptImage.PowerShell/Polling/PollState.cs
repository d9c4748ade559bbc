using System;

namespace GptImage.Polling;

/// <summary>What a waiting task knows when it decides when to look next (see <see cref="PollDelays.NextDelay(PollSchedule, PollState)"/>).</summary>
internal readonly record struct PollState
{
    /// <summary>How long this wait has lasted.</summary>
    public TimeSpan Waited { get; init; }
    /// <summary>How long the task has been running (since its submit was answered).</summary>
    public TimeSpan Running { get; init; }
    /// <summary>How long tasks of its kind take, when known.</summary>
    public TimeSpan? Expected { get; init; }
    /// <summary>Whether it is its kind's scout: the task that looks before the expected end and often after it.</summary>
    public bool Scout { get; init; }
    /// <summary>Result queries this wait has made.</summary>
    public int Queries { get; init; }
    /// <summary>How long a sibling of its kind ran, when one was seen ending since this task last looked.</summary>
    public TimeSpan? SiblingEnded { get; init; }
    /// <summary>For the first look of a wait: a random number in [0, 1) that spreads it (see <see cref="PollSchedule.SpreadFirstDelay"/>).</summary>
    public double? FirstLookSpread { get; init; }
}
