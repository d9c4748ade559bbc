using System;
using System.Security;

namespace GptImage.Session;

/// <summary>What one call asks of the session: the per-call parameters every cmdlet that talks to the service takes.</summary>
internal sealed record CallSettings
{
    /// <summary>-Provider for this call only (null: the session's).</summary>
    public ProviderKind? Provider { get; init; }
    /// <summary>-ApiKey for this call only.</summary>
    public SecureString? ApiKey { get; init; }
    /// <summary>-MaximumRetryCount.</summary>
    public int? MaximumRetryCount { get; init; }
    /// <summary>-RetryIntervalSec (the first retry's delay; later ones double with jitter).</summary>
    public int? RetryIntervalSec { get; init; }
    /// <summary>Where request lines go (WriteVerbose, through the runner).</summary>
    public Action<string>? Log { get; init; }
    /// <summary>Where request bodies go (WriteDebug, through the runner); null when no one listens.</summary>
    public Action<string>? Debug { get; init; }
    /// <summary>
    /// Whether the call cannot start without a key. Saving outputs downloads them without one (a webhook receiver
    /// may hold no key); a call that then needs the API fails with GptImage.MissingApiKey.
    /// </summary>
    public bool RequireKey { get; init; } = true;
    /// <summary>The feature the call uses that only WaveSpeed has (balance, history, webhook secret), or null.</summary>
    public string? WaveSpeedOnly { get; init; }
}
