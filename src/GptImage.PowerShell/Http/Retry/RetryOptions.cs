using System;

namespace GptImage.Http.Retry;

/// <summary>How patient the one retry loop is: how many retries, and how long between them.</summary>
internal class RetryOptions
{
    /// <summary>Retries after the first attempt, for requests that may be retried.</summary>
    public int MaximumRetryCount { get; set; } = 5;
    /// <summary>The first retry's delay; later ones double, with jitter, up to <see cref="MaximumRetryInterval"/>.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(0.5);
    /// <summary>The longest delay between two attempts (a longer Retry-After is still honoured up to 5 minutes).</summary>
    public TimeSpan MaximumRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
