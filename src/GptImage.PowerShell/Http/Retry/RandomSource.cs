using System;
using System.Threading;

namespace GptImage.Http.Retry;

/// <summary>
/// The client's one source of randomness (retry jitter, the spread of first looks): a Random per thread, each
/// seeded differently, so concurrent callers neither share an unsafe instance nor draw the same numbers.
/// </summary>
internal static class RandomSource
{
    private static int _seed = Environment.TickCount;
    private static readonly ThreadLocal<Random> PerThread = new(() => new Random(Interlocked.Increment(ref _seed)));

    /// <summary>A number in [0, 1).</summary>
    public static double NextDouble() => PerThread.Value!.NextDouble();
}
