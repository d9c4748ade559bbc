using System;
using System.Buffers;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Images;

namespace GptImage.Providers;

/// <summary>
/// Streams an output to a temporary file in the target folder, verifies it (status, declared length,
/// image signature, size cap) and moves it into place. A transfer that fails or is cut is retried by the transport's
/// one retry loop, redirects and temporary file included in each attempt.
/// </summary>
internal sealed class Downloader
{
    private const int MaxRedirects = 5;

    /// <summary>The most downloads of one call in flight at once, however many outputs an answer names.</summary>
    internal const int MaxInFlight = 8;
    private readonly ApiTransport _transport;

    public Downloader(ApiTransport transport) => _transport = transport;

    /// <summary>
    /// Saves every output of a completed prediction, <see cref="MaxInFlight"/> at a time; returns the saved files in
    /// the order of its outputs (the prediction itself is left as it is).
    /// </summary>
    public async Task<IReadOnlyList<FileInfo>> SaveAllAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken)
    {
        EnsureCompleted(prediction);
        using var slots = new SemaphoreSlim(MaxInFlight);
        async Task<FileInfo> OneAsync(Uri uri, int index)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await DownloadAsync(uri, prediction, index, save, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        try
        {
            return await Task.WhenAll(prediction.Outputs.Select(OneAsync)).ConfigureAwait(false);
        }
        catch (GptImageException e)
        {
            throw e.SavingFailed(prediction);
        }
    }

    /// <summary>Only a completed prediction has outputs to save.</summary>
    public static void EnsureCompleted(Prediction prediction)
    {
        if (prediction.Status != PredictionStatus.Completed)
        {
            throw new GptImageException(GptImageErrorKind.TaskFailed, $"Prediction {prediction.Id} is {prediction.Status}; only completed predictions have outputs to save.", prediction.Id);
        }
    }

    /// <summary>
    /// One output saved: each attempt of the transport's one retry loop follows the redirects and streams the body to a
    /// temporary file in the target folder, verified and moved into place; an attempt that fails leaves no file.
    /// </summary>
    public async Task<FileInfo> DownloadAsync(Uri source, Prediction prediction, int index, SaveOptions save, CancellationToken cancellationToken)
    {
        AtomicFile.EnsureFree(save.TargetPath(prediction, index, ImageFormat.Png), save.Overwrite);
        if (KeptOutput(source) is { } kept)
        {
            // A synchronous provider's base64 output, kept in the session cache: copied, not downloaded.
            using var cached = new FileStream(kept, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            return await SaveAsync(cached, null, prediction, index, save, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, source), RetryMode.Idempotent,
                response => ReadOutputAsync(response, prediction, index, save), cancellationToken, prediction.Id, authorize: false,
                redirect: (answer, from, hops) => NextHop(answer, from, hops, prediction.Id)).ConfigureAwait(false);
        }
        catch (GptImageException e) when (e.Kind is GptImageErrorKind.TransportFailed or GptImageErrorKind.Timeout)
        {
            throw new GptImageException(GptImageErrorKind.DownloadFailed,
                $"Output {index} of {prediction.Id} could not be downloaded: {e.Message}", prediction.Id, innerException: e);
        }
    }

    private async Task<FileInfo> ReadOutputAsync(ApiResponse response, Prediction prediction, int index, SaveOptions save)
    {
        var id = prediction.Id;
        if (response.Status == 404)
        {
            throw new GptImageException(GptImageErrorKind.NotFound,
                $"Output of {id} is gone (404): the service deletes outputs after 7 days.", id, 404);
        }
        await _transport.ThrowForStatusAsync(response, id).ConfigureAwait(false);
        using var body = await response.ReadBodyAsync().ConfigureAwait(false);
        return await SaveAsync(body, response.Message.Content.Headers.ContentLength, prediction, index, save, response.Token).ConfigureAwait(false);
    }

    /// <summary>Copies to a temporary file, verified and moved into place; a failure leaves no file.</summary>
    private async Task<FileInfo> SaveAsync(Stream body, long? declared, Prediction prediction, int index, SaveOptions save, CancellationToken cancellationToken)
    {
        using var file = AtomicFile.Create(save.TargetDirectory);
        await CopyCappedAsync(body, file.Stream, declared, _transport.Options.MaxDownloadBytes, prediction.Id, cancellationToken).ConfigureAwait(false);
        var saved = file.Commit(format => save.SavePath(prediction, index, format), save.Overwrite, prediction.Id);
        _transport.Log(() => $"Saved {saved.FullName} ({saved.Length} bytes)");
        return saved;
    }

    /// <summary>Where a redirect of an output leads: at most <see cref="MaxRedirects"/> hops, http(s) only, never https to http.</summary>
    private static Uri NextHop(ApiResponse answer, Uri from, int hops, string predictionId)
    {
        var location = answer.Message.Headers.Location!;
        if (hops >= MaxRedirects)
        {
            throw new GptImageException(GptImageErrorKind.DownloadFailed,
                $"The output of {predictionId} was redirected more than {MaxRedirects} times (last to '{Untrusted.Text(ApiTransport.Describe(location))}'); try Save-GptImage later.", predictionId, answer.Status);
        }
        var next = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (!Untrusted.IsWeb(next) || (from.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps))
        {
            throw new GptImageException(GptImageErrorKind.UnsafeResponse,
                $"Refused a redirect of the output of {predictionId} from {from.Scheme} to '{Untrusted.Text(next.Scheme)}:': outputs are fetched over http(s) only, and never from https to http.", predictionId, answer.Status);
        }
        return next;
    }

    /// <summary>
    /// The local file an output stands for, when it is one this module kept (a base64 answer in
    /// <see cref="KeptOutputs.Folder"/>); anything else that is not http(s) is refused.
    /// </summary>
    internal static string? KeptOutput(Uri source)
    {
        if (Untrusted.IsWeb(source)) { return null; }
        if (source.IsFile)
        {
            var path = Path.GetFullPath(source.LocalPath);
            if (string.Equals(Path.GetDirectoryName(path), Path.GetFullPath(KeptOutputs.Folder).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                return path;
            }
        }
        throw new GptImageException(GptImageErrorKind.UnsafeResponse,
            $"The output '{Untrusted.Text(source.ToString())}' is not an http(s) URL: outputs are fetched over http(s) only, never from local paths or other schemes.");
    }

    /// <summary>Copies at most <paramref name="cap"/> bytes; fewer than <paramref name="declared"/> is a transient fault.</summary>
    private static async Task CopyCappedAsync(Stream body, Stream target, long? declared, long cap, string predictionId, CancellationToken cancellationToken)
    {
        if (declared > cap)
        {
            throw new GptImageException(GptImageErrorKind.DownloadFailed, $"The output declares {declared} bytes, over the {cap}-byte cap.", predictionId);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long total = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > cap)
                {
                    throw new GptImageException(GptImageErrorKind.DownloadFailed, $"The output exceeds the {cap}-byte cap.", predictionId);
                }
                await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (declared is { } length && total != length)
        {
            throw new IOException($"The transfer ended after {total} of {length} bytes.");
        }
    }
}
