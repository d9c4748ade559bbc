using System;

namespace GptImage;

/// <summary>What Connect-GptImage -PassThru writes: the connection's settings, never its key.</summary>
public sealed class GptImageConnectionInfo
{
    /// <summary>The provider.</summary>
    public ProviderKind Provider { get; init; }
    /// <summary>The API root.</summary>
    public Uri? BaseUri { get; init; }
    /// <summary>Who the connection signs in as: Parameter or Environment (a key), ManagedIdentity or AccessToken (Azure OpenAI).</summary>
    public string KeySource { get; init; } = string.Empty;
    /// <summary>The explicit proxy, if any.</summary>
    public Uri? Proxy { get; init; }
    /// <summary>The cap on tasks in flight (0 = none).</summary>
    public int MaxTasksInFlight { get; init; }
    /// <summary>Azure OpenAI: the deployment of each model ("gpt-image-1 → images", or "each model's own name").</summary>
    public string? Deployment { get; init; }
    /// <summary>Azure OpenAI: the api-version of every request.</summary>
    public string? ApiVersion { get; init; }
}
