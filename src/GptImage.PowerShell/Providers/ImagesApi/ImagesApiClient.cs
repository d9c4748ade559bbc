using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Images;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Providers.ImagesApi;

/// <summary>
/// The OpenAI-style Images API (AIML API, and OpenAI itself): synchronous generations and multipart
/// edits. Each answer becomes a completed (or, when moderation refuses it, failed) prediction, so the
/// same pipeline works as for WaveSpeed. base64 images are decoded from the answer stream straight to
/// files: the target when saving, otherwise the session cache (they cannot be fetched again).
/// </summary>
internal sealed class ImagesApiClient : IImageApiClient
{
    private readonly ApiTransport _transport;
    private readonly Downloader _downloader;
    private readonly GptImageConnection _connection;

    /// <summary>Creates a client on a shared connection with per-call options that carry the call's key (<see cref="ApiCredential.Resolve"/>).</summary>
    public ImagesApiClient(GptImageConnection connection, ConnectionOptions options)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        options.Validate();
        _transport = new ApiTransport(options, connection.Http);
        _downloader = new Downloader(_transport);
        // Before anything is sent: base64 outputs are kept only in a folder no one else can read.
        KeptOutputs.Ensure();
    }

    /// <summary>
    /// The API root as the official SDKs take it (https://api.openai.com/v1): the base URI when its path ends in /v1, else
    /// its /v1, so a bare host and an SDK-style root both work.
    /// </summary>
    private ApiUrl ApiRoot => _transport.Options.BaseUri.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal)
        ? _transport.Url : _transport.Url.Path("v1");

    /// <inheritdoc />
    public ProviderKind Kind => _transport.Options.Provider;

    /// <inheritdoc />
    public async Task<Prediction> SubmitAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }
        if (request.Images.Any(i => i.LocalPath is null) || request.Mask is { LocalPath: null })
        {
            throw GptImageException.InvalidParameter("Uri", $"{Kind} edits take image files, not URLs; download the image first, or use WaveSpeed.");
        }
        request.CheckLocalFiles();
        var edit = request.Spec.Operation == ImageOperation.Edit;
        var uri = ApiRoot.Path(edit ? "images/edits" : "images/generations").ToUri();
        _transport.Log(() => $"Submitting {request.Describe()}");
        using var response = await _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = edit ? EditContent(request) : GenerationContent(request) },
            RetryMode.Submit, cancellationToken).ConfigureAwait(false);
        Prediction prediction;
        try
        {
            await _transport.ThrowForStatusAsync(response, null, submit: true).ConfigureAwait(false);
            prediction = await ReadAnswerAsync(response, request).ConfigureAwait(false);
        }
        catch (GptImageException e) when (e.Kind == GptImageErrorKind.ContentModerated)
        {
            prediction = new Prediction(request.Asked)
            {
                Id = NewId(),
                Status = PredictionStatus.Failed,
                Error = e.Message,
                ErrorCode = 1200,
                CreatedAt = DateTimeOffset.UtcNow,
                // Refused: no output came back, inline or not.
                Base64Output = false,
            };
        }
        _connection.Finished[prediction.Id] = prediction;
        _transport.Log(() => $"{prediction.Id}: {prediction.Status}");
        return prediction;
    }

    private static string NewId() => "img-" + Guid.NewGuid().ToString("N");

    private StringContent GenerationContent(ImageRequest request) => ApiTransport.JsonContent(JsonFields.Body(json =>
    {
        foreach (var (name, value) in Fields(request))
        {
            json.WritePropertyName(name);
            JsonFields.Write(json, value);
        }
    }, request.AdditionalParameters));

    /// <summary>The multipart edit: every file streamed from disk, never read whole into memory.</summary>
    private MultipartFormDataContent EditContent(ImageRequest request)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in Fields(request)) { form.Add(new StringContent(JsonFields.FormText(value)), name); }
        foreach (var extra in request.AdditionalParameters) { form.Add(new StringContent(JsonFields.FormText(extra.Value)), extra.Key); }
        // OpenAI names several images image[]; AIML API repeats "image".
        var field = Kind == ProviderKind.OpenAI && request.Images.Count > 1 ? "image[]" : "image";
        foreach (var image in request.Images) { form.Add(FilePart(image.LocalPath!, request), field, Path.GetFileName(image.LocalPath!)); }
        if (request.Mask?.LocalPath is { } mask) { form.Add(FilePart(mask, request), "mask", Path.GetFileName(mask)); }
        return form;
    }

    /// <summary>A local input as a multipart part, typed by the format the request's checks already read from it.</summary>
    private static StreamContent FilePart(string path, ImageRequest request)
    {
        var content = ApiTransport.FileContent(path);
        content.Headers.ContentType = new MediaTypeHeaderValue(ImageFiles.ContentType(request.LocalFormat(path)));
        return content;
    }

    private IEnumerable<(string Name, object Value)> Fields(ImageRequest request)
    {
        yield return ("model", request.Spec.ApiModelId);
        yield return ("prompt", request.Prompt);
        if (request.Count is { } n) { yield return ("n", n); }
        if (request.Size is { } size) { yield return ("size", size); }
        if (request.Quality is { } quality) { yield return ("quality", quality); }
        if (request.Background is { } background) { yield return ("background", background); }
        // The edit endpoint does not list moderation; ImageRequest refuses it there, and it is never sent to it.
        if (request.Moderation is { } moderation && request.Spec.Operation == ImageOperation.Generate) { yield return ("moderation", moderation); }
        if (request.OutputFormat is { } format) { yield return ("output_format", ImageFiles.Name(format)); }
        if (request.OutputCompression is { } compression) { yield return ("output_compression", compression); }
        if (request.InputFidelity is { } fidelity) { yield return ("input_fidelity", fidelity); }
        // OpenAI always answers base64 (and refuses response_format); AIML API answers URLs unless asked (ImageRequest decides).
        if (Kind == ProviderKind.AimlApi) { yield return ("response_format", request.Base64Output ? "b64_json" : "url"); }
    }

    /// <summary>A completed prediction of the images the answer holds (URLs, or base64 kept in the cache), or a failed one when it holds none.</summary>
    private async Task<Prediction> ReadAnswerAsync(ApiResponse response, ImageRequest request)
    {
        var id = NewId();
        var (json, cached, base64Count) = await DecodeAnswerAsync(response, id).ConfigureAwait(false);
        using var document = ParseAnswer(json, id);
        var root = document.RootElement;
        var given = new List<Uri>(cached.Select(f => new Uri(f.FullName)));
        given.AddRange(UrlOutputs(root, id));
        // base64 images beyond the cap were decoded to nothing: they count as dropped with the URLs beyond it.
        var outputs = TaskOutputs.Keep(given, out var dropped);
        dropped += base64Count - cached.Count;
        var usage = ReadUsage(root);
        // The service's figure where it gives one (AIML API), else the published price of the images made (dropped ones too).
        var (usd, usdSource) = usage?.Usd is { } reported ? (reported, $"reported by {Kind}")
            : outputs.Count > 0 ? request.Spec.Estimate(request.Size, request.Quality, outputs.Count + dropped) : (null, null);
        return new Prediction(request.Asked)
        {
            Id = id,
            Usd = usd,
            UsdSource = usdSource,
            Status = outputs.Count > 0 ? PredictionStatus.Completed : PredictionStatus.Failed,
            Error = outputs.Count > 0 ? null : "The answer held no image.",
            Outputs = outputs,
            OutputsDropped = dropped,
            CreatedAt = root.TryGetProperty("created", out var created) && created.TryGetInt64(out var unix)
                ? DateTimeOffset.FromUnixTimeSeconds(unix) : DateTimeOffset.UtcNow,
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
            return (json, decoded.Commit((index, format) => Path.Combine(KeptOutputs.Folder, $"{id}-{index}{ImageFiles.Extension(format)}"), overwrite: true, id), decoded.Count);
        }
        catch (GptImageException e) when (e.Kind == GptImageErrorKind.InvalidResponse)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse,
                $"The answer from {Kind} cannot be read ({e.Message}); the images may have been made and charged. It was not sent again.", id, innerException: e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException)
        {
            throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The answer from {Kind} broke off ({_transport.Redact(e.Message)}); the images may have been made and charged. It was not sent again.", id, innerException: e);
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
                    $"The answer from {Kind} has the output '{Untrusted.Text(url.GetString() ?? string.Empty)}', which is not an http(s) URL; it is not fetched.", id);
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
                $"The answer from {Kind} is not the JSON expected ({e.Message}); the images may have been made and charged.", id, innerException: e);
        }
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

    /// <inheritdoc />
    public Task<Prediction> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (id is not null && _connection.Finished.TryGetValue(id, out var prediction)) { return Task.FromResult(prediction); }
        throw new GptImageException(GptImageErrorKind.NotFound,
            $"Prediction {id} is not known: {Kind} answers synchronously and keeps no tasks to query; only predictions made in this session can be looked up.", id, 404);
    }

    /// <inheritdoc />
    public async Task<Prediction> WaitAsync(Prediction prediction, TimeSpan timeout, SaveOptions? save, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        var current = prediction.IsFinal ? prediction : await GetAsync(prediction.Id, cancellationToken).ConfigureAwait(false);
        return save is not null && current.Status == PredictionStatus.Completed
            ? await SaveAsync(current, save, cancellationToken).ConfigureAwait(false)
            : current;
    }

    /// <inheritdoc />
    public Task<Prediction> SaveAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        if (save is null) { throw new ArgumentNullException(nameof(save)); }
        return _downloader.SaveAllAsync(prediction, save, cancellationToken);
    }
}
