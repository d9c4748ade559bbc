using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http.Auth;
using GptImage.Http.Retry;

namespace GptImage.Http;

/// <summary>
/// The only place requests are sent, through the connection's one HttpClient (<see cref="ApiHttpClient"/>): it adds
/// the key, timeouts, the one retry loop by <see cref="RetryMode"/> (the body read inside each attempt) and -Verbose
/// lines (never the key). Unsuccessful answers become typed errors in <see cref="ApiErrors"/>.
/// </summary>
internal sealed class ApiTransport
{
    public ApiTransport(TransportOptions options, HttpClient http)
    {
        Options = options;
        Http = http;
    }

    public TransportOptions Options { get; }

    public HttpClient Http { get; }

    /// <summary>The root of every request URL of this connection (<see cref="ApiUrl"/>, the one URL builder).</summary>
    public ApiUrl Url => ApiUrl.Root(Options.BaseUri);

    /// <summary>
    /// Sends and reads the answer with <paramref name="read"/>, both inside each attempt of the one retry loop: an
    /// idempotent request whose answer asks to be tried again (408, 429, 5xx), fails in transit, or whose body breaks off,
    /// stalls or is cut (IOException, HttpRequestException, InvalidDataException, a timeout) is tried again, at most
    /// <see cref="RetryOptions.MaximumRetryCount"/> times. A submit is sent again only when it certainly never left, or
    /// was answered 429; its body is read once. What <paramref name="read"/> throws otherwise (a GptImageException:
    /// an invalid answer, a typed error) ends the call at once. When no retry is left, the last answer asking to be
    /// tried again is given to <paramref name="read"/> (which throws its typed error), a last transport failure is thrown.
    /// </summary>
    /// <remarks>
    /// Only the headers are awaited before <paramref name="read"/>: it reads the body through
    /// <see cref="ApiResponse.ReadBodyAsync"/>, so a huge or endless body is never buffered, and a stalled one is
    /// abandoned. When <paramref name="cancellationToken"/> ends a submit that was already sent (Ctrl+C, or the call's
    /// -TimeoutSec), the outcome is unknown and said so. <paramref name="redirect"/>, when given, turns a 3xx answer
    /// with a Location into the next URL of the same attempt (GET, without the key), or throws to refuse it.
    /// </remarks>
    public Task<T> SendAsync<T>(Func<HttpRequestMessage> build, RetryMode mode, Func<ApiResponse, Task<T>> read, CancellationToken cancellationToken,
        string? predictionId = null, bool authorize = true, TimeSpan? timeout = null, Func<ApiResponse, Uri, int, Uri>? redirect = null)
    {
        HttpRequestMessage? request = null;
        ApiResponse? retryable = null;
        var showBody = Options.Debug is not null;
        return RetryPolicy.RunAsync(Options,
            () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var exchange = new Exchange(mode, predictionId, authorize, timeout ?? Options.RequestTimeout, redirect, showBody);
                showBody = false; // once per request, not per attempt
                return AttemptAsync(() => request = build(), exchange, read, answer => retryable = answer, cancellationToken);
            },
            (retry, delay, number) =>
            {
                Log($"Retrying in {delay.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture)} s (retry {number} of {Options.MaximumRetryCount})");
                retryable?.Dispose();
                retryable = null;
            },
            async (last, attempts) =>
            {
                if (last.Failure is GptImageException final) { ExceptionDispatchInfo.Capture(final).Throw(); }
                if (last.Failure is { } failure) { throw ApiErrors.TransportFailure(this, failure, mode, predictionId, request!, attempts); }
                using var answer = retryable!;
                return await read(answer).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private readonly record struct Exchange(RetryMode Mode, string? PredictionId, bool Authorize, TimeSpan Timeout, Func<ApiResponse, Uri, int, Uri>? Redirect,
        bool ShowBody);

    /// <summary>
    /// One attempt: the answer read (a success), an answer this mode retries (kept by <paramref name="keep"/> for the last
    /// attempt), or a transport or body failure that may be retried. A failure that may not be retried (a submit that may
    /// have arrived, the caller's cancellation, what <paramref name="read"/> throws otherwise) is thrown.
    /// </summary>
    /// <remarks>
    /// A 401 proves the request did nothing, a submit included: when the credential renews its token (a managed
    /// identity), the request is built and sent once more with the new one, within the same attempt.
    /// </remarks>
    private async Task<Attempt<T>> AttemptAsync<T>(Func<HttpRequestMessage> build, Exchange exchange, Func<ApiResponse, Task<T>> read,
        Action<ApiResponse> keep, CancellationToken cancellationToken)
    {
        var sender = exchange.Authorize ? await Credential.CurrentAsync(cancellationToken, Log).ConfigureAwait(false) : null;
        var request = build();
        if (exchange.ShowBody) { await DebugBodyAsync(request).ConfigureAwait(false); }
        var answer = await ExchangeAsync(request, sender, exchange, cancellationToken).ConfigureAwait(false);
        if (answer.Response is { Status: 401 } refused && sender is not null && Credential.CanRenew)
        {
            // Released before renewing: a renewal that fails (or is stopped) leaves no answer held open.
            refused.Dispose();
            await Credential.RenewAsync(sender, cancellationToken, Log).ConfigureAwait(false);
            Log($"{request.Method} {Describe(request.RequestUri)} -> 401: the token was renewed; sending it once more (a refused request did nothing)");
            sender = await Credential.CurrentAsync(cancellationToken, Log).ConfigureAwait(false);
            request = build();
            answer = await ExchangeAsync(request, sender, exchange, cancellationToken).ConfigureAwait(false);
        }
        if (answer.Failure is { } failed) { return Attempt<T>.Transient(failed); }
        var response = answer.Response!;
        if (!response.IsSuccess && RetryPolicy.IsRetryableStatus(response.Message.StatusCode, exchange.Mode))
        {
            keep(response);
            return Attempt<T>.Retryable(default!, response.Message);
        }
        var watch = Stopwatch.StartNew();
        using (response)
        {
            try
            {
                return Attempt<T>.Success(await read(response).ConfigureAwait(false));
            }
            catch (Exception e) when (exchange.Mode == RetryMode.Idempotent && RetryPolicy.IsTransientRead(e, cancellationToken))
            {
                Log($"{request.Method} {Describe(request.RequestUri)} -> the answer broke off ({(e is OperationCanceledException ? "stalled" : Redact(e.Message))}) after {watch.ElapsedMilliseconds} ms");
                return Attempt<T>.Transient(e);
            }
        }
    }

    /// <summary>Sends, signed by <paramref name="sender"/> (and follows the redirects <see cref="Exchange.Redirect"/> allows), until an answer's headers arrive.</summary>
    private async Task<(ApiResponse? Response, Exception? Failure)> ExchangeAsync(HttpRequestMessage request, ApiCredential? sender, Exchange exchange,
        CancellationToken cancellationToken)
    {
        sender?.Apply(request, Options.Provider);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(exchange.Timeout);
        var watch = Stopwatch.StartNew();
        var current = request;
        try
        {
            for (var hops = 0; ; hops++)
            {
                var response = await Http.SendAsync(current, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                Log(() => $"{current.Method} {Describe(current.RequestUri)} -> {(int)response.StatusCode} {response.ReasonPhrase} in {watch.ElapsedMilliseconds} ms");
                var answer = new ApiResponse(response, cts, Options.StallTimeout, Options.MaxAnswerBytes);
                if (exchange.Redirect is null || answer.Status is < 300 or >= 400 || response.Headers.Location is not { } location)
                {
                    return (answer, null);
                }
                Uri next;
                try
                {
                    next = exchange.Redirect(answer, current.RequestUri!, hops);
                }
                finally
                {
                    response.Dispose();
                }
                if (current != request) { current.Dispose(); }
                current = new HttpRequestMessage(HttpMethod.Get, next);
            }
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            cts.Dispose();
            if (exchange.Mode == RetryMode.Submit) { throw ApiErrors.TransportFailure(this, e, exchange.Mode, exchange.PredictionId, request, 1); }
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            cts.Dispose();
            Log($"{current.Method} {Describe(current.RequestUri)} -> {(e is OperationCanceledException ? "timed out" : "failed: " + Redact(e.Message))} after {watch.ElapsedMilliseconds} ms");
            if (exchange.Mode == RetryMode.Submit && !RetryPolicy.CertainlyNotSent(e)) { throw ApiErrors.TransportFailure(this, e, exchange.Mode, exchange.PredictionId, request, 1); }
            return (null, e);
        }
        catch
        {
            cts.Dispose();
            throw;
        }
        finally
        {
            request.Dispose();
            if (current != request) { current.Dispose(); }
        }
    }

    private ApiCredential Credential => Options.Credential ?? throw ApiCredential.Missing(Options.Provider);

    /// <summary>Reads the JSON body of a successful answer.</summary>
    public static async Task<T> ReadJsonAsync<T>(ApiResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string? predictionId)
    {
        try
        {
            using var stream = await response.ReadBodyAsync().ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, type, response.Token).ConfigureAwait(false)
                ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse,
                $"The service's answer ({response.Status}) is not the JSON expected: {e.Message}", predictionId, response.Status, e);
        }
    }

    /// <summary>Throws the typed error an unsuccessful answer stands for (<see cref="ApiErrors"/>).</summary>
    public Task ThrowForStatusAsync(ApiResponse response, string? predictionId, bool submit = false) =>
        ApiErrors.ThrowForStatusAsync(this, response, predictionId, submit);

    public string Redact(string text) => Options.Credential?.Redact(text) ?? text;

    public void Log(string line) => Options.Log?.Invoke(Untrusted.Text(Redact(line)));

    /// <summary>Logs a line built only when someone listens (-Verbose).</summary>
    public void Log(Func<string> line)
    {
        if (Options.Log is { } log) { log(Untrusted.Text(Redact(line()))); }
    }

    /// <summary>
    /// Writes the body of <paramref name="request"/> to -Debug, as <see cref="RequestBodies"/> elides it, with the key
    /// redacted and the line cleaned: the one place a body is shown, for every body built (JSON, multipart, a file).
    /// </summary>
    private async Task DebugBodyAsync(HttpRequestMessage request)
    {
        if (Options.Debug is not { } debug || await RequestBodies.DescribeAsync(request.Content, Redact).ConfigureAwait(false) is not { } body) { return; }
        debug(Untrusted.Text(Redact($"{request.Method} {Describe(request.RequestUri)} body: {body}")));
    }

    /// <summary>A URL for logs: without its query (presigned URLs carry signatures there).</summary>
    internal static string Describe(Uri? uri) =>
        uri is null ? "(none)" : uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) + (uri.Query.Length > 0 ? "?…" : "") : uri.ToString();

    internal static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A file streamed from disk as a request body, never read whole into memory.</summary>
    internal static StreamContent FileContent(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true), 81920);
}
