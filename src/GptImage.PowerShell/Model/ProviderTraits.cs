namespace GptImage;

/// <summary>What the providers have in common, named once: who speaks OpenAI's own dialect of the Images API.</summary>
internal static class ProviderTraits
{
    /// <summary>
    /// OpenAI and Azure OpenAI: gpt-image answers in b64_json only (no response_format), auto sizes and qualities,
    /// n up to 10, several edit images as image[].
    /// </summary>
    public static bool SpeaksOpenAI(this ProviderKind provider) => provider is ProviderKind.OpenAI or ProviderKind.AzureOpenAI;
}
