using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Images;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// Turns local files into URLs the service can read: checks them, uploads each distinct content once per
/// connection (keyed by SHA-256), with the two-step uploads flow and upload/binary where that is not offered.
/// </summary>
internal sealed class MediaUploader
{
    private readonly ApiTransport _transport;
    private readonly ConcurrentDictionary<string, Lazy<Task<Uri>>> _byHash;
    private readonly GptImageConnection _connection;

    public MediaUploader(ApiTransport transport, GptImageConnection connection)
    {
        _transport = transport;
        _connection = connection;
        _byHash = connection.Uploads;
    }

    /// <summary>Uploads a file the request has already checked (<see cref="ImageRequest.CheckLocalFiles"/>).</summary>
    public async Task<Uri> UploadAsync(string path, CancellationToken cancellationToken)
    {
        var (hash, format) = await HashAsync(path, cancellationToken).ConfigureAwait(false);
        var lazy = _byHash.GetOrAdd(hash, _ => new Lazy<Task<Uri>>(() => UploadCoreAsync(path, format, cancellationToken)));
        try
        {
            var uri = await lazy.Value.ConfigureAwait(false);
            _transport.Log(() => $"Using {uri.GetLeftPart(UriPartial.Path)} for '{path}'");
            return uri;
        }
        catch
        {
            _byHash.TryRemove(hash, out _);
            throw;
        }
    }

    /// <summary>The content's SHA-256, and its format from the first bytes read on the way (one pass over the file).</summary>
    private static async Task<(string Hash, ImageFormat Format)> HashAsync(string path, CancellationToken cancellationToken)
    {
        using var sha = SHA256.Create();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var buffer = new byte[81920];
        var format = ImageFormat.Unknown;
        var first = true;
        int read;
        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (first) { format = ImageFiles.Detect(buffer.AsSpan(0, read)); first = false; }
            sha.TransformBlock(buffer, 0, read, null, 0);
        }
        sha.TransformFinalBlock(buffer, 0, 0);
        return (BitConverter.ToString(sha.Hash!).Replace("-", string.Empty), format);
    }

    private async Task<Uri> UploadCoreAsync(string path, ImageFormat format, CancellationToken cancellationToken)
    {
        if (!_connection.TwoStepUploadMissing)
        {
            var uri = await TwoStepAsync(path, format, cancellationToken).ConfigureAwait(false);
            if (uri is not null) { return uri; }
            _connection.TwoStepUploadMissing = true;
        }
        return await BinaryAsync(path, format, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST media/uploads, then PUT the bytes to the presigned URL (never with the key). Null when not offered.</summary>
    private async Task<Uri?> TwoStepAsync(string path, ImageFormat format, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var body = JsonSerializer.Serialize(new Wire.UploadRequestBody
        {
            Filename = FileNameTemplate.Clean(info.Name),
            Size = info.Length,
            ContentType = ImageFiles.ContentType(format),
        }, ClientJsonContext.Default.UploadRequestBody);
        var ticket = await _transport.SendAsync<Wire.UploadTicket?>(
            () => new HttpRequestMessage(HttpMethod.Post, _transport.Url.Path("api/v3/media/uploads").ToUri()) { Content = ApiTransport.JsonContent(body) },
            RetryMode.Idempotent, async response =>
            {
                if (response.Status is 404 or 405) { return null; }
                await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
                return (await ApiTransport.ReadJsonAsync(response, ClientJsonContext.Default.EnvelopeUploadTicket, null).ConfigureAwait(false)).Data
                    ?? throw new GptImageException(GptImageErrorKind.InvalidResponse, "The upload answer has no data.");
            }, cancellationToken).ConfigureAwait(false);
        if (ticket is null) { return null; }
        if (ticket.Upload?.Url is null || ticket.DownloadUrl is null)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, "The upload answer has no upload URL or download URL.");
        }
        var method = new HttpMethod(string.IsNullOrEmpty(ticket.Upload.Method) ? "PUT" : ticket.Upload.Method!.ToUpperInvariant());
        await _transport.SendAsync(() =>
            {
                var request = new HttpRequestMessage(method, new Uri(ticket.Upload.Url!)) { Content = ApiTransport.FileContent(path) };
                foreach (var header in ticket.Upload.Headers ?? new())
                {
                    if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value))
                    {
                        request.Content.Headers.Remove(header.Key);
                        request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }
                }
                return request;
            }, RetryMode.Idempotent, async put =>
            {
                await _transport.ThrowForStatusAsync(put, null).ConfigureAwait(false);
                return true;
            }, cancellationToken, authorize: false).ConfigureAwait(false);
        return new Uri(ticket.DownloadUrl);
    }

    private async Task<Uri> BinaryAsync(string path, ImageFormat format, CancellationToken cancellationToken)
    {
        var data = await _transport.SendAsync(() =>
        {
            var file = ApiTransport.FileContent(path);
            file.Headers.ContentType = new MediaTypeHeaderValue(ImageFiles.ContentType(format));
            return new HttpRequestMessage(HttpMethod.Post, _transport.Url.Path("api/v3/media/upload/binary").ToUri())
            {
                Content = new MultipartFormDataContent { { file, "file", FileNameTemplate.Clean(Path.GetFileName(path)) } },
            };
        }, RetryMode.Idempotent, async response =>
        {
            await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
            return (await ApiTransport.ReadJsonAsync(response, ClientJsonContext.Default.EnvelopeUploadTicket, null).ConfigureAwait(false)).Data;
        }, cancellationToken).ConfigureAwait(false);
        return new Uri(data?.DownloadUrl ?? throw new GptImageException(GptImageErrorKind.InvalidResponse, "The upload answer has no download URL."));
    }
}
