using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using GptImage.Files;
using GptImage.Http;
using GptImage.Requests;

namespace GptImage.Providers.WaveSpeed;

/// <summary>How WaveSpeed's answers, history items and webhook deliveries become predictions (all untrusted input).</summary>
internal static class WaveSpeedPredictions
{
    /// <summary>
    /// The prediction a webhook delivers: its body is the flat data object (not the envelope), with the input as
    /// submitted. Verify the signature first (<see cref="WebhookSignature"/>); this only reads.
    /// </summary>
    public static Prediction FromWebhook(string body)
    {
        Wire.PredictionData? data;
        try
        {
            data = JsonSerializer.Deserialize(body ?? string.Empty, ClientJsonContext.Default.PredictionData);
        }
        catch (JsonException e)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, $"The webhook body is not the prediction JSON expected: {e.Message}", innerException: e);
        }
        if (data?.Id is null)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, "The webhook body has no prediction id.");
        }
        return From(data, null, false, Encoding.UTF8.GetBytes(body!), text => text);
    }

    /// <summary>
    /// The prediction data of an answer, with an id. An answer to a submit that cannot be read leaves the outcome
    /// unknown (the task may exist); any other is an invalid response.
    /// </summary>
    internal static Wire.PredictionData ParseAnswer(byte[] json, ApiResponse response, string? knownId, bool submit)
    {
        Wire.Envelope<Wire.PredictionData>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(json, ClientJsonContext.Default.EnvelopePredictionData);
        }
        catch (JsonException e) when (submit)
        {
            // An HTML page or a cut answer to a submit that reached the service: a task may exist.
            throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The answer to the submit ({response.Status}, {Untrusted.Text(response.Message.Content.Headers.ContentType?.MediaType ?? "no type")}) is not the JSON expected ({e.Message}); a task may exist and be charged, so it was not submitted again.",
                null, response.Status, e);
        }
        catch (JsonException e)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, $"The answer for {knownId} is not the JSON expected: {e.Message}",
                knownId, response.Status, e);
        }
        var data = envelope?.Data;
        if (data?.Id is null)
        {
            throw new GptImageException(submit ? GptImageErrorKind.SubmitOutcomeUnknown : GptImageErrorKind.InvalidResponse,
                "The answer has no prediction id" + (submit ? "; the task may exist and was not submitted again." : "."), knownId, response.Status);
        }
        return data;
    }

    /// <summary>
    /// The prediction an answer describes; what it leaves out is taken from <paramref name="known"/>, what the session
    /// knew before (null for a webhook or the history), then from the input the answer echoes.
    /// </summary>
    internal static Prediction From(Wire.PredictionData data, Prediction? known, bool base64, byte[]? json, Func<string, string> redact)
    {
        // Every string of the answer passes the one text cleaner before it reaches the prediction.
        var status = Untrusted.Text(data.Status ?? PredictionStatus.Created).ToLowerInvariant();
        var error = data.Error.ValueKind == JsonValueKind.String ? data.Error.GetString() : null;
        int? code = data.Code.ValueKind == JsonValueKind.Number && data.Code.TryGetInt32(out var c) ? c : null;
        var modelId = data.Model is { } model ? Untrusted.Text(model) : known?.ModelId;
        var id = Untrusted.ServiceId(data.Id!, null);
        var outputs = new List<Uri>();
        // Only the first outputs are taken (a base64 answer's are empty strings here: its reader kept the same ones).
        var given = TaskOutputs.Keep(data.Outputs ?? new List<string>(), out var dropped);
        foreach (var output in base64 ? Array.Empty<string>() : given)
        {
            if (Uri.TryCreate(output, UriKind.Absolute, out var uri) && Untrusted.IsWeb(uri)) { outputs.Add(uri); }
            // Outputs that are not URLs are base64 images (a prediction this session did not submit).
            else if (Untrusted.IsBase64(output)) { base64 = true; }
            else
            {
                throw new GptImageException(GptImageErrorKind.UnsafeResponse,
                    $"Prediction {id} has the output '{Untrusted.Text(output)}', which is neither an http(s) URL nor base64; it is not fetched.", id);
            }
        }
        var spec = ModelCatalog.All.FirstOrDefault(m => m.ApiModelId == modelId);
        var inputSize = InputText(data.Input, "size")?.Replace('*', 'x');
        var inputQuality = InputText(data.Input, "quality");
        var (usd, usdSource) = known?.UsdSource is not null ? (known.Usd, known.UsdSource)
            : spec?.Estimate(inputSize, inputQuality, 1) ?? (null, null);
        return new Prediction
        {
            Id = id,
            Provider = "WaveSpeed",
            Model = spec?.Name ?? known?.Model ?? modelId ?? string.Empty,
            ModelId = modelId,
            Status = status,
            Prompt = known?.Prompt ?? InputText(data.Input, "prompt"),
            Size = known?.Size ?? inputSize,
            Quality = known?.Quality ?? inputQuality,
            SourcePath = known?.SourcePath,
            Outputs = outputs.ToArray(),
            OutputsDropped = dropped,
            NsfwFlags = TaskOutputs.Keep(data.HasNsfwContents ?? new List<bool>(), out _).ToArray(),
            Error = string.IsNullOrEmpty(error) ? null : Untrusted.Text(redact(error!)),
            ErrorCode = code,
            CreatedAt = DateTimeOffset.TryParse(data.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : known?.CreatedAt,
            InferenceTime = data.Timings?.Inference is { } ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null,
            ResultUri = Uri.TryCreate(data.Urls?.Get, UriKind.Absolute, out var get) ? get : known?.ResultUri,
            Base64Output = base64,
            Base64Images = base64 && status == PredictionStatus.Completed ? given.Count : 0,
            Usd = usd,
            UsdSource = usdSource,
            RawResponse = json is null ? null : Untrusted.Text(redact(Encoding.UTF8.GetString(json))),
            // What this session knows of the task's timing travels with every answer about it.
            SubmittedAt = known?.SubmittedAt ?? 0,
            TimingKey = known?.TimingKey,
        };
    }

    /// <summary>A string field of the submitted input a webhook payload carries, or null.</summary>
    private static string? InputText(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Untrusted.Text(value.GetString()!) : null;
}
