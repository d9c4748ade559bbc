using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Providers.ImagesApi;

/// <summary>
/// Reads a streamed Images API answer (stream: true, partial_images n), once: it answers a paid submit. The events, as the
/// official <c>openai</c> npm package 6.49.0 types them (resources/images.d.ts): <c>image_generation.partial_image</c> /
/// <c>image_edit.partial_image</c> with b64_json and a 0-based partial_image_index, then <c>image_generation.completed</c> /
/// <c>image_edit.completed</c> with the final b64_json and usage; each also carries created_at, size, quality, background and
/// output_format. A data object with an <c>error</c> is an error (as the SDK reads it). Fewer partials than asked are fine
/// ("the final image may be sent before the full number of partial images are generated").
/// </summary>
/// <remarks>
/// Each partial image is decoded (<see cref="Base64Outputs"/>, into the private cache) and written beside the final image
/// (<see cref="PartialImageFiles"/>), then told to <see cref="ImageRequest.PartialImageSaved"/> and -Verbose. The final image is
/// kept in the cache as an unstreamed answer's is, so it is saved (and journalled) exactly as one. Caps: one event holds at most
/// one image of <see cref="TransportOptions.MaxDownloadBytes"/> in base64 (4 bytes for 3) and 64 KB of JSON; at most n + 2 events
/// are read; the stall guard and the body cap (their product) hold as for every answer.
/// </remarks>
internal sealed class ImagesApiStream
{
    private const long JsonAllowance = 64 * 1024;
    private readonly ApiTransport _transport;
    private readonly ProviderKind _kind;
    private readonly List<string> _written = new();

    public ImagesApiStream(ApiTransport transport, ProviderKind kind)
    {
        _transport = transport;
        _kind = kind;
    }

    /// <summary>Whether the answer to <paramref name="request"/> is the event stream it asked for (text/event-stream).</summary>
    public static bool IsEventStream(ImageRequest request, ApiResponse response) =>
        request.PartialImages is not null
        && string.Equals(response.Message.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The completed prediction of the final image; throws a GptImageException naming the partials kept when the stream breaks
    /// off or stalls (the caller's own cancellation, Ctrl+C or -TimeoutSec, is left to the caller to report).
    /// </summary>
    public async Task<Prediction> ReadAsync(ApiResponse response, ImageRequest request, CancellationToken cancellationToken)
    {
        var id = ImagesApiClient.NewId();
        var partials = request.PartialImages ?? 0;
        var maxEventBytes = (_transport.Options.MaxDownloadBytes + 2) / 3 * 4 + JsonAllowance;
        var maxEvents = partials + 2;
        try
        {
            // The service is silent while it draws, between events as before the first: the stall guard is the request's timeout here.
            using var body = await response.ReadBodyAsync(maxEvents * maxEventBytes, _transport.Options.RequestTimeout).ConfigureAwait(false);
            var events = new ServerSentEvents(body, maxEventBytes, maxEvents);
            var prefix = request.Spec.Operation == ImageOperation.Edit ? "image_edit." : "image_generation.";
            var seen = new HashSet<int>();
            DateTimeOffset? created = null;
            while (await events.NextAsync(response.Token).ConfigureAwait(false) is { } data)
            {
                using var decoded = new Base64Outputs(KeptOutputs.Folder, _transport.Options.MaxDownloadBytes, isPrivate: true);
                var json = await decoded.ReadAsync(data, "b64_json", response.Token).ConfigureAwait(false);
                using var document = Parse(json, id);
                var root = document.RootElement;
                ThrowIfError(root, id);
                created ??= JsonFields.UnixTime(root, "created_at") ?? DateTimeOffset.UtcNow;
                var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var named = new Prediction(request.Asked) { Id = id, CreatedAt = created };
                if (type == prefix + "partial_image")
                {
                    await PartialAsync(request, named, root, decoded, seen, response.Token).ConfigureAwait(false);
                }
                else if (type == prefix + "completed")
                {
                    return Completed(request, named, root, decoded, json);
                }
                // Another event type (the SDK's union has none): read past, counted against the cap.
            }
            throw new IOException("The event stream ended before its completed event.");
        }
        catch (GptImageException e) when (e.Kind is GptImageErrorKind.InvalidResponse or GptImageErrorKind.DownloadFailed)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse,
                $"The image stream from {_kind} cannot be read ({e.Message}); the image may have been made and charged. It was not sent again.{Kept()}", id, innerException: e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException or OperationCanceledException)
        {
            // Stopped by Ctrl+C or -TimeoutSec, stalled, or cut: the image may exist either way, and the previews are kept.
            var what = e is OperationCanceledException ? (cancellationToken.IsCancellationRequested ? "stopped" : "stalled") : _transport.Redact(e.Message);
            throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The image stream from {_kind} broke off ({what}) after {_written.Count} of {partials} partial image(s); the image may have been made and charged. It was not sent again.{Kept()}",
                id, innerException: e);
        }
    }

    /// <summary>Writes one partial image beside the final one and tells the caller.</summary>
    private async Task PartialAsync(ImageRequest request, Prediction named, JsonElement root, Base64Outputs decoded, HashSet<int> seen, CancellationToken token)
    {
        var requested = request.PartialImages ?? 0;
        if (!root.TryGetProperty("partial_image_index", out var i) || i.ValueKind != JsonValueKind.Number || !i.TryGetInt32(out var index)
            || index < 0 || index >= requested || !seen.Add(index) || decoded.Count != 1)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse,
                $"A partial image event is not one image with a new partial_image_index from 0 to {requested - 1}.", named.Id);
        }
        ImageFormat format = ImageFormat.Unknown;
        var kept = decoded.Commit((_, f) => Path.Combine(KeptOutputs.Folder, $"{named.Id}-partial-{index}{ImageFiles.Extension(format = f)}"), overwrite: true, named.Id)[0];
        var target = PartialImageFiles.PathFor(request.PartialImagesTo!, named, index, format);
        var file = await PartialImageFiles.PublishAsync(kept, target, named.Id, token).ConfigureAwait(false);
        _written.Add(file.FullName);
        _transport.Log(() => $"{named.Id}: partial image {index + 1} of {requested} saved to {file.FullName}");
        request.PartialImageSaved?.Invoke(new PartialImageSaved(named.Id, index, requested, file.FullName));
    }

    /// <summary>The completed prediction: the final image kept in the cache, the usage, and its price (the tokens reported at the model's rates, where it has them).</summary>
    private Prediction Completed(ImageRequest request, Prediction named, JsonElement root, Base64Outputs decoded, byte[] json)
    {
        var cached = decoded.Commit((index, format) => KeptOutputs.PathOf(named.Id, index, format), overwrite: true, named.Id);
        return new ImagesApiAnswer(_transport, _kind).Predict(request, named.Id, named.CreatedAt, root, cached.Select(f => new Uri(f.FullName)).ToList(),
            decoded.Count - cached.Count, json, "The completed event held no image.");
    }

    /// <summary>An error event (a data object with "error", as the official SDK reads it): the task failed, maybe charged.</summary>
    private void ThrowIfError(JsonElement root, string id)
    {
        if (!root.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null) { return; }
        var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString() : error.ToString();
        throw new GptImageException(GptImageErrorKind.TaskFailed,
            $"The image stream from {_kind} reported an error: {Untrusted.Text(_transport.Redact(message ?? string.Empty))}.{Kept()}", id);
    }

    private string Kept() => _written.Count == 0 ? string.Empty : " Partial images kept: " + string.Join(", ", _written) + ".";

    private static JsonDocument Parse(byte[] json, string id)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, $"an event is not the JSON expected ({e.Message})", id, innerException: e);
        }
    }
}
