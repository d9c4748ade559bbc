namespace GptImage;

/// <summary>The outcome of checking a webhook: valid, or why not (never the secret).</summary>
public sealed class WebhookVerification
{
    internal WebhookVerification(bool isValid, string reason)
    {
        IsValid = isValid;
        Reason = reason;
    }

    /// <summary>Whether the signature matches and the timestamp is recent.</summary>
    public bool IsValid { get; }

    /// <summary>What was found.</summary>
    public string Reason { get; }
}
