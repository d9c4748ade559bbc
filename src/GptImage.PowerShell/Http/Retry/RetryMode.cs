namespace GptImage.Http.Retry;

/// <summary>Which failures a request may be retried after.</summary>
internal enum RetryMode
{
    /// <summary>Reads and idempotent writes: 408, 429, 5xx, timeouts and connection failures.</summary>
    Idempotent,
    /// <summary>A paid submit: only when it certainly never arrived (refused, name not resolved) or was answered 429.</summary>
    Submit,
}
