using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GptImage.Client;

internal sealed class Envelope<T>
{
    public int? Code { get; set; }
    public string? Message { get; set; }
    public T? Data { get; set; }
}

internal sealed class PredictionData
{
    public string? Id { get; set; }
    public string? Model { get; set; }
    public List<string>? Outputs { get; set; }
    public PredictionUrls? Urls { get; set; }
    public List<bool>? HasNsfwContents { get; set; }
    public string? Status { get; set; }
    public string? CreatedAt { get; set; }
    public JsonElement Error { get; set; }
    public JsonElement Code { get; set; }
    public PredictionTimings? Timings { get; set; }
}

internal sealed class PredictionUrls
{
    public string? Get { get; set; }
}

internal sealed class PredictionTimings
{
    public double? Inference { get; set; }
}

internal sealed class UploadTicket
{
    public string? Type { get; set; }
    public string? DownloadUrl { get; set; }
    public string? Filename { get; set; }
    public long? Size { get; set; }
    public UploadInstruction? Upload { get; set; }
}

internal sealed class UploadInstruction
{
    public string? Method { get; set; }
    public string? Url { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
}

/// <summary>Any error body: WaveSpeed's envelope, <c>{"error":"…"}</c>, or OpenAI's <c>{"error":{…}}</c>.</summary>
internal sealed class ErrorBody
{
    public JsonElement Code { get; set; }
    public string? Message { get; set; }
    public JsonElement Error { get; set; }
}

internal sealed class UploadRequestBody
{
    public string Filename { get; set; } = string.Empty;
    public long Size { get; set; }
    public string ContentType { get; set; } = string.Empty;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Envelope<PredictionData>))]
[JsonSerializable(typeof(Envelope<UploadTicket>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(UploadRequestBody))]
internal sealed partial class ClientJsonContext : JsonSerializerContext
{
}
