using System.Text.Json.Serialization;

namespace GptImage.Http;

/// <summary>The source-generated JSON metadata of <see cref="ErrorBody"/>, read by the transport whatever the provider.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorBodyJsonContext : JsonSerializerContext
{
}
