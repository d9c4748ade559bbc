namespace GptImage.Emulator;

/// <summary>One webhook call as received: raw body, headers, and the query of the URL it was posted to.</summary>
public sealed record WebhookDelivery(string Body, IReadOnlyDictionary<string, string> Headers, string Query = "");
