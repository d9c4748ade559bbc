using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Providers.ImagesApi;

/// <summary>
/// Reads an Images API answer, once (it answers a paid submit): its b64_json images decoded straight to the session
/// cache, its URLs checked, its usage and price, into a completed (or, holding no image, failed) prediction.
/// </summary>
internal sealed class ImagesApiAnswer
{
    private readonly ApiTransport _transport;
    private readonly ProviderKind _kind;

    public ImagesApiAnswer(ApiTransport transport, ProviderKind kind)
    {
        _transport = transport;
        _kind = kind;
    }

    /// <summary>A completed prediction of the images the answer holds (URLs, or base64 kept in the cache), or a failed one when it holds none.</summary>
    public async Task<Prediction> ReadAsync(ApiResponse response, ImageRequest request)
    {
        var id = ImagesApiClient.NewId();
        var (json, cached, base64Count) = await DecodeAnswerAsync(response, id).ConfigureAwait(false);
        using var document = ParseAnswer(json, id);
        var root = document.RootElement;
        var given = new List<Uri>(cached.Select(f => new Uri(f.FullName)));
        given.AddRange(UrlOutputs(root, id));
        return Predict(request, id, JsonFields.UnixTime(root, "created"), root, given, base64Count - cached.Count, json, "The answer held no image.");
    }

    /// <summary>
    /// The prediction of an answer, whole or streamed (<see cref="ImagesApiStream"/>): the images it gave (kept files and URLs,
    /// at most <see cref="TaskOutputs"/>' cap; <paramref name="undecoded"/> base64 images beyond the cap count as dropped
    /// with the rest), its usage and price, completed, or failed (<paramref name="noImage"/>) when it gave none.
    /// </summary>
    internal Prediction Predict(ImageRequest request, string id, DateTimeOffset? created, JsonElement root, List<Uri> given, int undecoded, byte[] json,
        string noImage)
    {
        var outputs = TaskOutputs.Keep(given, out var dropped);
        dropped += undecoded;
        var usage = ReadUsage(root);
        var (text, image) = InputTokens(root);
        // The service's figure where it gives one (AIML API), else the reported tokens at a token-priced model's rates, else the
        // published price of the images made (dropped ones too).
        var (usd, usdSource) = usage?.Usd is { } reported ? (reported, $"reported by {_kind}")
            : outputs.Count > 0 ? request.Spec.Estimate(request.Size, request.Quality, outputs.Count + dropped, text, image, usage?.OutputTokens) : (null, null);
        return new Prediction(request.Asked)
        {
            Id = id,
            Usd = usd,
            UsdSource = usdSource,
            Status = outputs.Count > 0 ? PredictionStatus.Completed : PredictionStatus.Failed,
            Error = outputs.Count > 0 ? null : noImage,
            Outputs = outputs,
            OutputsDropped = dropped,
            CreatedAt = created ?? DateTimeOffset.UtcNow,
            Usage = usage,
            RawResponse = Untrusted.Text(_transport.Redact(Encoding.UTF8.GetString(json))),
        };
    }

    /// <summary>
    /// Reads the whole answer, decoding its b64_json images into the session cache (they cannot be fetched again);
    /// returns the JSON without them, the kept files and how many the answer held. An answer that breaks off leaves
    /// the outcome unknown; one with invalid base64 is an invalid answer, not sent again either.
    /// </summary>
    private async Task<(byte[] Json, IReadOnlyList<FileInfo> Cached, int Count)> DecodeAnswerAsync(ApiResponse response, string id)
    {
        try
        {
            using var decoded = new Base64Outputs(KeptOutputs.Folder, _transport.Options.MaxDownloadBytes, isPrivate: true);
            byte[] json;
            using (var stream = await response.ReadBodyAsync().ConfigureAwait(false))
            {
                json = await decoded.ReadAsync(stream, "b64_json", response.Token).ConfigureAwait(false);
            }
            return (json, decoded.Commit((index, format) => KeptOutputs.PathOf(id, index, format), overwrite: true, id), decoded.Count);
        }
        catch (GptImageException e) when (e.Kind == GptImageErrorKind.InvalidResponse)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse,
                $"The answer from {_kind} cannot be read ({e.Message}); the images may have been made and charged. It was not sent again.", id, innerException: e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException)
        {
            throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The answer from {_kind} broke off ({_transport.Redact(e.Message)}); the images may have been made and charged. It was not sent again.", id, innerException: e);
        }
    }

    /// <summary>The data[].url outputs of an answer; one that is not an http(s) URL is refused.</summary>
    private List<Uri> UrlOutputs(JsonElement root, string id)
    {
        var outputs = new List<Uri>();
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) { return outputs; }
        foreach (var item in data.EnumerateArray())
        {
            if (!item.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String) { continue; }
            if (!Uri.TryCreate(url.GetString(), UriKind.Absolute, out var u) || !Untrusted.IsWeb(u))
            {
                throw new GptImageException(GptImageErrorKind.UnsafeResponse,
                    $"The answer from {_kind} has the output '{Untrusted.Text(url.GetString() ?? string.Empty)}', which is not an http(s) URL; it is not fetched.", id);
            }
            outputs.Add(u);
        }
        return outputs;
    }

    private JsonDocument ParseAnswer(byte[] json, string id)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The answer from {_kind} is not the JSON expected ({e.Message}); the images may have been made and charged.", id, innerException: e);
        }
    }

    /// <summary>
    /// OpenAI's usage.input_tokens_details (text_tokens, image_tokens), or all input_tokens as text when the details are missing.
    /// </summary>
    internal static (long? Text, long? Image) InputTokens(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object) { return (null, null); }
        long? Long(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetInt64(out var l) ? l : null;
        return usage.TryGetProperty("input_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? (Long(details, "text_tokens"), Long(details, "image_tokens"))
            : (Long(usage, "input_tokens"), null);
    }

    /// <summary>AIML API's meta.usage (credits, USD, tokens) or OpenAI's usage (tokens).</summary>
    internal static PredictionUsage? ReadUsage(JsonElement root)
    {
        JsonElement usage;
        if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("usage", out usage)) { }
        else if (!root.TryGetProperty("usage", out usage)) { return null; }
        if (usage.ValueKind != JsonValueKind.Object) { return null; }
        long? Long(string name) => usage.TryGetProperty(name, out var v) && v.TryGetInt64(out var l) ? l : null;
        decimal? Money(string name) => usage.TryGetProperty(name, out var v) && v.TryGetDecimal(out var d) ? d : null;
        return new PredictionUsage
        {
            InputTokens = Long("input_tokens"),
            OutputTokens = Long("output_tokens"),
            TotalTokens = Long("total_tokens") ?? Long("tokens_used"),
            Credits = Money("credits_used"),
            Usd = Money("usd_spent"),
        };
    }
}
