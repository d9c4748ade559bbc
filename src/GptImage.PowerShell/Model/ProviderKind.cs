namespace GptImage;

/// <summary>Which API a connection speaks.</summary>
public enum ProviderKind
{
    /// <summary>WaveSpeedAI's v3 task API.</summary>
    WaveSpeed,
    /// <summary>AIML API's OpenAI-style Images API.</summary>
    AimlApi,
    /// <summary>OpenAI's Images API.</summary>
    OpenAI,
    /// <summary>Azure OpenAI: OpenAI's Images API on a tenant's own deployments.</summary>
    AzureOpenAI,
}
