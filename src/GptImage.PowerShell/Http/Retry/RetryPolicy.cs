using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Http.Retry;

/// <summary>The one retry loop, backoff with jitter, Retry-After and retry-after-ms, and the retry rules of each mode.</summary>
internal static class RetryPolicy
{
    /// <summary>
    /// The one retry loop (its one caller is ApiTransport.SendAsync). Runs <paramref name="attempt"/> until it succeeds or <see cref="RetryOptions.MaximumRetryCount"/> retries are
    /// spent. Before each retry it waits <see cref="Delay"/> (the answer's Retry-After when it gives one) and tells
    /// <paramref name="retrying"/> what failed, the delay and the retry's number; once no retry is left,
    /// <paramref name="giveUp"/> turns the last attempt into the result or an exception, given how many attempts were made.
    /// </summary>
    public static async Task<T> RunAsync<T>(RetryOptions options, Func<Task<Attempt<T>>> attempt, Action<Attempt<T>, TimeSpan, int> retrying,
        Func<Attempt<T>, int, Task<T>> giveUp, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            var outcome = await attempt().ConfigureAwait(false);
            if (outcome.Succeeded) { return outcome.Value!; }
            if (number > options.MaximumRetryCount || IsFinal(outcome.Failure)) { return await giveUp(outcome, number).ConfigureAwait(false); }
            var delay = Delay(number, outcome.Answer, options);
            retrying(outcome, delay, number);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A failure no retry can mend: an answer that was read whole but is not what was expected (bad JSON, invalid
    /// base64). Asking again downloads the same answer again, so it is given up at once, whatever the caller counts as transient.
    /// </summary>
    public static bool IsFinal(Exception? failure) => failure is GptImageException { Kind: GptImageErrorKind.InvalidResponse };

    /// <summary>
    /// Whether reading an answer failed in transit, so that asking again may mend it: the body broke off or was cut
    /// (IOException, HttpRequestException, InvalidDataException) or stalled (a timeout that is not the caller's
    /// cancellation). An answer read whole but not what was expected is a GptImageException, never transient.
    /// </summary>
    public static bool IsTransientRead(Exception failure, CancellationToken cancellationToken) =>
        failure is IOException or HttpRequestException or InvalidDataException
        || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static readonly TimeSpan LongestHonouredRetryAfter = TimeSpan.FromMinutes(5);

    public static bool IsRetryableStatus(HttpStatusCode status, RetryMode mode)
    {
        var code = (int)status;
        if (code == 429) { return true; }
        return mode == RetryMode.Idempotent && (code == 408 || code >= 500);
    }

    /// <summary>True when the exception proves the request never reached the server.</summary>
    public static bool CertainlyNotSent(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket && socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound
                    or SocketError.NoData or SocketError.TryAgain or SocketError.HostUnreachable or SocketError.NetworkUnreachable
                    or SocketError.AddressNotAvailable)
            {
                return true;
            }
#if NET8_0_OR_GREATER
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError })
            {
                return true;
            }
#endif
            if (e is WebException { Status: WebExceptionStatus.NameResolutionFailure or WebExceptionStatus.ConnectFailure or WebExceptionStatus.ProxyNameResolutionFailure })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public static TimeSpan Delay(int retry, HttpResponseMessage? response, RetryOptions options)
    {
        if (response is not null && ServerDelay(response) is { } asked)
        {
            return asked > LongestHonouredRetryAfter ? LongestHonouredRetryAfter : asked;
        }
        var exponential = options.RetryInterval.TotalMilliseconds * Math.Pow(2, retry - 1);
        var capped = Math.Min(exponential, options.MaximumRetryInterval.TotalMilliseconds);
        // "Equal jitter": half fixed, half random, so retries of a burst spread out but never collapse to zero.
        return TimeSpan.FromMilliseconds((capped / 2) + (RandomSource.NextDouble() * capped / 2));
    }

    /// <summary>retry-after-ms, or Retry-After as seconds or an HTTP date.</summary>
    public static TimeSpan? ServerDelay(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta) { return delta < TimeSpan.Zero ? TimeSpan.Zero : delta; }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
