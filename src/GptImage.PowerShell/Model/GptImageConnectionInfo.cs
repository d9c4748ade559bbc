using System;

namespace GptImage;

/// <summary>What Connect-GptImage -PassThru writes: the connection's settings, never its key.</summary>
public sealed class GptImageConnectionInfo
{
    /// <summary>The provider.</summary>
    public ProviderKind Provider { get; init; }
    /// <summary>The API root.</summary>
    public Uri? BaseUri { get; init; }
    /// <summary>Where the key came from: Parameter or Environment.</summary>
    public string KeySource { get; init; } = string.Empty;
    /// <summary>The explicit proxy, if any.</summary>
    public Uri? Proxy { get; init; }
    /// <summary>The cap on tasks in flight (0 = none).</summary>
    public int MaxTasksInFlight { get; init; }
}
