namespace GptImage.Emulator;

/// <summary>One webhook call as received: raw body and headers.</summary>
public sealed record WebhookDelivery(string Body, IReadOnlyDictionary<string, string> Headers);
