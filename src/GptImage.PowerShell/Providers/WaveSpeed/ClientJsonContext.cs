using System.Text.Json.Serialization;

namespace GptImage.Providers.WaveSpeed;

/// <summary>The source-generated JSON metadata of the <see cref="Wire"/> types: snake_case names, nulls left out, numbers also read from strings.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Wire.Envelope<Wire.PredictionData>))]
[JsonSerializable(typeof(Wire.Envelope<Wire.UploadTicket>))]
[JsonSerializable(typeof(Wire.Envelope<Wire.PredictionPage>))]
[JsonSerializable(typeof(Wire.Envelope<Wire.BalanceData>))]
[JsonSerializable(typeof(Wire.Envelope<Wire.WebhookSecretData>))]
[JsonSerializable(typeof(Wire.PredictionData))]
[JsonSerializable(typeof(Wire.UploadRequestBody))]
internal sealed partial class ClientJsonContext : JsonSerializerContext
{
}
