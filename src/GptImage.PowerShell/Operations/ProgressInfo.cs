namespace GptImage.Operations;

/// <summary>A progress record, without the PowerShell type.</summary>
internal sealed class ProgressInfo
{
    /// <summary>The activity id.</summary>
    public int ActivityId { get; init; }
    /// <summary>The activity.</summary>
    public string Activity { get; init; } = string.Empty;
    /// <summary>The status line.</summary>
    public string Status { get; init; } = string.Empty;
    /// <summary>The current operation, if any.</summary>
    public string? CurrentOperation { get; init; }
    /// <summary>0–100, or -1 when unknown.</summary>
    public int PercentComplete { get; init; } = -1;
    /// <summary>Whether the bar is finished (RecordType Completed).</summary>
    public bool Completed { get; init; }
}
