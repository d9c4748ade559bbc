using System.Collections.Generic;
using System.Text.Json;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// The JSON shapes the client reads from the services (WaveSpeed's envelope and its data, any error body) and the
/// bodies it serializes, as <see cref="ClientJsonContext"/> maps them (snake_case names).
/// </summary>
internal static class Wire
{
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
        /// <summary>The submitted input: webhook payloads carry it.</summary>
        public JsonElement Input { get; set; }
    }

    /// <summary>A page of prediction history (POST /api/v3/predictions).</summary>
    internal sealed class PredictionPage
    {
        public int? Page { get; set; }
        public int? Total { get; set; }
        /// <summary>Read one by one (<see cref="WaveSpeedAccount"/>): an item that is not a prediction costs that item, not the page.</summary>
        public List<JsonElement>? Items { get; set; }
    }

    internal sealed class BalanceData
    {
        public decimal? Balance { get; set; }
    }

    internal sealed class WebhookSecretData
    {
        public string? Secret { get; set; }
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

    internal sealed class UploadRequestBody
    {
        public string Filename { get; set; } = string.Empty;
        public long Size { get; set; }
        public string ContentType { get; set; } = string.Empty;
    }
}
