namespace GptImage;

/// <summary>The statuses a prediction moves through; every one but created and processing is final.</summary>
public static class PredictionStatus
{
    /// <summary>Accepted, not started.</summary>
    public const string Created = "created";
    /// <summary>Running.</summary>
    public const string Processing = "processing";
    /// <summary>Ended with outputs.</summary>
    public const string Completed = "completed";
    /// <summary>Ended with an error.</summary>
    public const string Failed = "failed";
    /// <summary>Cancelled on the service.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>Timed out on the service.</summary>
    public const string Timeout = "timeout";
    /// <summary>Deleted (outputs are kept 7 days).</summary>
    public const string Deleted = "deleted";

    /// <summary>Whether a status is final.</summary>
    public static bool IsFinal(string? status) =>
        status is not null && status != Created && status != Processing && status.Length > 0;
}
