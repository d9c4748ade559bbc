namespace GptImage;

/// <summary>Spend reported by a provider for one prediction (OpenAI-style providers).</summary>
public sealed class PredictionUsage
{
    /// <summary>Tokens in total, when reported.</summary>
    public long? TotalTokens { get; init; }
    /// <summary>Input tokens, when reported.</summary>
    public long? InputTokens { get; init; }
    /// <summary>Output tokens, when reported.</summary>
    public long? OutputTokens { get; init; }
    /// <summary>Provider credits, when reported.</summary>
    public decimal? Credits { get; init; }
    /// <summary>US dollars, when reported.</summary>
    public decimal? Usd { get; init; }
}
