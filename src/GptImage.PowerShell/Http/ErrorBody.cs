using System.Text.Json;

namespace GptImage.Http;

/// <summary>Any error body: WaveSpeed's envelope, <c>{"error":"…"}</c>, or OpenAI's <c>{"error":{…}}</c>.</summary>
internal sealed class ErrorBody
{
    public JsonElement Code { get; set; }
    public string? Message { get; set; }
    public JsonElement Error { get; set; }
}
