using System;

namespace GptImage.Polling;

/// <summary>
/// When to poll a running task whose length this connection cannot yet predict: a first look after
/// <see cref="FirstDelay"/> (spread by ±50% per task, so the tasks of a batch look at different moments
/// and the first to end is seen early), then every <see cref="Fraction"/> of the time waited so far, kept
/// between <see cref="MinInterval"/> and <see cref="MaxInterval"/>. The median lag between a task ending
/// and the client seeing it is then about half an interval (≈10% of the task's run time, at least
/// 0.25 s), and a long task costs a logarithmic number of queries: fewer than a fixed 1 s poll from about
/// 10 s on (bench/RESULTS.md). Once tasks of a model have been seen ending, the connection polls around
/// their expected end instead (<see cref="LatencyEstimator"/>).
/// </summary>
internal sealed class PollSchedule
{
    /// <summary>The schedule used unless told otherwise.</summary>
    public static readonly PollSchedule Default = new();

    /// <summary>Delay before the first result query (before the per-task spread).</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Shortest interval between two queries.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Longest interval between two queries.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The interval as a fraction of the time waited so far.</summary>
    public double Fraction { get; init; } = 0.2;
    /// <summary>Whether the first delay is spread by ±50% per task.</summary>
    public bool SpreadFirstDelay { get; init; } = true;
    /// <summary>
    /// The shortest average interval between the queries of one task over its wait, after the first (null: twice
    /// <see cref="MinInterval"/>, one second by default: the service asks for no more than about one a second).
    /// </summary>
    public TimeSpan? MinAverageInterval { get; init; }

    /// <summary>The average interval in force (<see cref="MinAverageInterval"/> or its default).</summary>
    public TimeSpan AverageInterval => MinAverageInterval ?? TimeSpan.FromTicks(MinInterval.Ticks * 2);

    /// <summary>The delay before the next query, given how long the task has been waited on.</summary>
    public TimeSpan NextDelay(TimeSpan waited)
    {
        if (waited <= TimeSpan.Zero) { return FirstDelay; }
        var ticks = (long)(waited.Ticks * Fraction);
        return TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, Math.Max(MinInterval.Ticks, ticks)));
    }
}
