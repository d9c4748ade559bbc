using System;
using System.Buffers;
using System.IO;
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
/// image signature, size cap) and moves it into place; retries truncated or failed transfers.
/// </summary>
internal sealed class Downloader
{
    private const int MaxRedirects = 5;

    /// <summary>The most downloads of one call in flight at once, however many outputs an answer names.</summary>
    internal const int MaxInFlight = 8;
    private readonly ApiTransport _transport;

    public Downloader(ApiTransport transport) => _transport = transport;

    /// <summary>Saves every output of a completed prediction, <see cref="MaxInFlight"/> at a time, and sets its Files.</summary>
    public async Task<Prediction> SaveAllAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken)
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
            prediction.Files = await Task.WhenAll(prediction.Outputs.Select(OneAsync)).ConfigureAwait(false);
        }
        catch (GptImageException e)
        {
            throw e.SavingFailed(prediction);
        }
        return prediction;
    }

    /// <summary>Only a completed prediction has outputs to save.</summary>
    public static void EnsureCompleted(Prediction prediction)
    {
        if (prediction.Status != PredictionStatus.Completed)
        {
            throw new GptImageException(GptImageErrorKind.TaskFailed, $"Prediction {prediction.Id} is {prediction.Status}; only completed predictions have outputs to save.", prediction.Id);
        }
    }

    public Task<FileInfo> DownloadAsync(Uri source, Prediction prediction, int index, SaveOptions save, CancellationToken cancellationToken)
    {
        AtomicFile.EnsureFree(save.TargetPath(prediction, index, ImageFormat.Png), save.Overwrite);
        return RetryPolicy.RunAsync(_transport.Options,
            () => DownloadOnceAsync(source, prediction, index, save, cancellationToken),
            (failed, delay, _) => _transport.Log(() => $"Download of output {index} of {prediction.Id} failed ({_transport.Redact(failed.Failure!.Message)}); retrying in {delay.TotalSeconds:0.0##} s"),
            (failed, attempts) => throw new GptImageException(GptImageErrorKind.DownloadFailed,
                $"Output {index} of {prediction.Id} could not be downloaded after {attempts} attempts: {_transport.Redact(failed.Failure!.Message)}",
                prediction.Id, innerException: failed.Failure),
            cancellationToken);
    }

    /// <summary>One transfer to a temporary file, verified and moved into place; a transient failure leaves no file.</summary>
    private async Task<Attempt<FileInfo>> DownloadOnceAsync(Uri source, Prediction prediction, int index, SaveOptions save, CancellationToken cancellationToken)
    {
        using var file = AtomicFile.Create(save.TargetDirectory);
        try
        {
            await TransferAsync(source, file.Stream, prediction.Id, cancellationToken).ConfigureAwait(false);
            var saved = file.Commit(format => save.SavePath(prediction, index, format), save.Overwrite, prediction.Id);
            _transport.Log(() => $"Saved {saved.FullName} ({saved.Length} bytes)");
            return Attempt<FileInfo>.Success(saved);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return Attempt<FileInfo>.Transient(e);
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is IOException or HttpRequestException or InvalidDataException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        || (e is GptImageException { Kind: GptImageErrorKind.TransportFailed or GptImageErrorKind.Timeout });

    private async Task TransferAsync(Uri source, Stream target, string predictionId, CancellationToken cancellationToken)
    {
        var cap = _transport.Options.MaxDownloadBytes;
        if (KeptOutput(source) is { } kept)
        {
            // A synchronous provider's base64 output, kept in the session cache: copied, not downloaded.
            using var cached = new FileStream(kept, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await CopyCappedAsync(cached, target, null, cap, predictionId, cancellationToken).ConfigureAwait(false);
            return;
        }
        var uri = source;
        for (var hop = 0; ; hop++)
        {
            using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent,
                cancellationToken, predictionId, authorize: false).ConfigureAwait(false);
            if (response.Status is >= 300 and < 400 && response.Message.Headers.Location is { } location)
            {
                if (hop >= MaxRedirects)
                {
                    throw new GptImageException(GptImageErrorKind.DownloadFailed,
                        $"The output of {predictionId} was redirected more than {MaxRedirects} times (last to '{Untrusted.Text(ApiTransport.Describe(location))}'); try Save-GptImage later.", predictionId, response.Status);
                }
                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (!Untrusted.IsWeb(next) || (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps))
                {
                    throw new GptImageException(GptImageErrorKind.UnsafeResponse,
                        $"Refused a redirect of the output of {predictionId} from {uri.Scheme} to '{Untrusted.Text(next.Scheme)}:': outputs are fetched over http(s) only, and never from https to http.", predictionId, response.Status);
                }
                uri = next;
                continue;
            }
            if (response.Status == 404)
            {
                throw new GptImageException(GptImageErrorKind.NotFound,
                    $"Output of {predictionId} is gone (404): the service deletes outputs after 7 days.", predictionId, 404);
            }
            await _transport.ThrowForStatusAsync(response, predictionId).ConfigureAwait(false);
            var declared = response.Message.Content.Headers.ContentLength;
            using var body = await response.ReadBodyAsync().ConfigureAwait(false);
            await CopyCappedAsync(body, target, declared, cap, predictionId, response.Token).ConfigureAwait(false);
            return;
        }
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
