using System.Diagnostics;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>One emulated prediction. Its status is a function of the clock: no timers needed.</summary>
internal sealed class EmulatedTask
{
    private readonly long _startTicks = Stopwatch.GetTimestamp();

    public required string Id { get; init; }
    public required string Model { get; init; }
    public required JsonObject Input { get; init; }
    public required int LatencyMs { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public int OutputCount { get; init; } = 1;
    public bool Base64 { get; init; }
    public required TaskBehaviour Behaviour { get; init; }
    public int? FailCode { get; init; }
    public string? FailMessage { get; init; }
    public string? Webhook { get; init; }
    public ImageContent Content { get; init; }
    /// <summary>png, jpeg or webp: the format of the outputs.</summary>
    public string Format { get; init; } = "png";
    /// <summary>output_compression: the JPEG and lossy WebP quality, 0–100.</summary>
    public int Compression { get; init; } = 100;
    /// <summary>background: transparent, so the outputs carry an alpha channel.</summary>
    public bool Transparent { get; init; }
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
    public int Variant => (int)((uint)Id.GetHashCode(StringComparison.Ordinal) & 7);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTicks);

    public TimeSpan Remaining => TimeSpan.FromMilliseconds(LatencyMs) - Elapsed;

    public TaskPhase Phase
    {
        get
        {
            var ms = Elapsed.TotalMilliseconds;
            if (ms >= LatencyMs) { return FailCode is null ? TaskPhase.Completed : TaskPhase.Failed; }
            return ms < LatencyMs * 0.1 ? TaskPhase.Created : TaskPhase.Processing;
        }
    }

    public bool IsFinal => Phase is TaskPhase.Completed or TaskPhase.Failed;
}
