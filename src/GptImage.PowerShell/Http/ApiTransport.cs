using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http.Retry;

namespace GptImage.Http;

/// <summary>
/// The one HttpClient of a connection, and the only place requests are sent: it adds the key, the client
/// headers, timeouts, retries by <see cref="RetryMode"/>, -Verbose lines (never the key) and error mapping.
/// </summary>
internal sealed class ApiTransport
{
    private const int MaxErrorBodyChars = 16 * 1024;
    internal static readonly string Version =
        typeof(ApiTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public ApiTransport(TransportOptions options, HttpClient http)
    {
        Options = options;
        Http = http;
    }

    public TransportOptions Options { get; }

    public HttpClient Http { get; }

    /// <summary>The one HttpClient of a connection: no redirects, the client headers, the proxy.</summary>
    public static HttpClient CreateHttpClient(TransportOptions options, HttpMessageHandler? handler = null)
    {
        var http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("GptImage", Version));
        http.DefaultRequestHeaders.Add("X-Client-Name", "GptImage");
        http.DefaultRequestHeaders.Add("X-Client-Version", Version);
        http.DefaultRequestHeaders.Add("X-Client-OS", RuntimeInformation.OSDescription.Trim());
        return http;
    }

    private static HttpMessageHandler CreateHandler(TransportOptions options)
    {
#if NETFRAMEWORK
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            MaxConnectionsPerServer = 1024,
        };
#else
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
#endif
        // The explicit or the system proxy (HTTP_PROXY and the like), never for this machine: a loopback http base
        // URI would otherwise hand the key to the proxy in clear.
#if NETFRAMEWORK
        handler.Proxy = new LoopbackBypassProxy(options.Proxy ?? WebRequest.DefaultWebProxy);
#else
        handler.Proxy = new LoopbackBypassProxy(options.Proxy ?? HttpClient.DefaultProxy);
#endif
        handler.UseProxy = true;
        return handler;
    }

    /// <summary>The root of every request URL of this connection (<see cref="ApiUrl"/>, the one URL builder).</summary>
    public ApiUrl Url => ApiUrl.Root(Options.BaseUri);

    /// <summary>
    /// Sends with retries. Returns the final answer (successful or not: check <see cref="ApiResponse.IsSuccess"/>
    /// or call <see cref="ThrowForStatusAsync"/>); throws for transport failures that may not be retried.
    /// </summary>
    /// <remarks>
    /// Only the headers are awaited here: bodies are read through <see cref="ApiResponse.ReadBodyAsync"/>, so a
    /// huge or endless body is never buffered, and a stalled one is abandoned. When <paramref name="cancellationToken"/>
    /// ends a submit that was already sent (Ctrl+C, or the call's -TimeoutSec), the outcome is unknown and said so.
    /// </remarks>
    public Task<ApiResponse> SendAsync(Func<HttpRequestMessage> build, RetryMode mode, CancellationToken cancellationToken,
        string? predictionId = null, bool authorize = true, TimeSpan? timeout = null)
    {
        HttpRequestMessage? request = null;
        return RetryPolicy.RunAsync(Options,
            () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                request = build();
                return AttemptAsync(request, mode, predictionId, authorize, timeout ?? Options.RequestTimeout, cancellationToken);
            },
            (retry, delay, number) =>
            {
                Log($"Retrying in {delay.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture)} s (retry {number} of {Options.MaximumRetryCount})");
                retry.Value?.Dispose();
            },
            // The last answer, even a 429 or a 5xx, is returned for the caller to read; a last transport failure is thrown.
            (last, _) => last.Value ?? throw TransportFailure(last.Failure!, mode, predictionId, request!),
            cancellationToken);
    }

    /// <summary>
    /// One send: the answer (a success, or a status this mode retries), or a transport failure that may be retried.
    /// A failure that may not be retried (a submit that may have arrived, or the caller's cancellation) is thrown.
    /// </summary>
    private async Task<Attempt<ApiResponse>> AttemptAsync(HttpRequestMessage request, RetryMode mode, string? predictionId, bool authorize,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        HttpResponseMessage response;
        var watch = Stopwatch.StartNew();
        try
        {
            if (authorize)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Credential.AuthorizationParameter);
            }
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            Log(() => $"{request.Method} {Describe(request.RequestUri)} -> {(int)response.StatusCode} {response.ReasonPhrase} in {watch.ElapsedMilliseconds} ms");
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            cts.Dispose();
            if (mode == RetryMode.Submit) { throw TransportFailure(e, mode, predictionId, request); }
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            cts.Dispose();
            Log($"{request.Method} {Describe(request.RequestUri)} -> {(e is OperationCanceledException ? "timed out" : "failed: " + Redact(e.Message))} after {watch.ElapsedMilliseconds} ms");
            if (mode == RetryMode.Submit && !RetryPolicy.CertainlyNotSent(e)) { throw TransportFailure(e, mode, predictionId, request); }
            return Attempt<ApiResponse>.Transient(e);
        }
        finally
        {
            request.Dispose();
        }
        var answer = new ApiResponse(response, cts, Options.StallTimeout, Options.MaxAnswerBytes);
        return answer.IsSuccess || !RetryPolicy.IsRetryableStatus(response.StatusCode, mode)
            ? Attempt<ApiResponse>.Success(answer)
            : Attempt<ApiResponse>.Retryable(answer, response);
    }

    private GptImageException TransportFailure(Exception failure, RetryMode mode, string? predictionId, HttpRequestMessage request)
    {
        var what = failure is OperationCanceledException ? "timed out" : "failed: " + Redact(failure.Message);
        if (mode == RetryMode.Submit && !RetryPolicy.CertainlyNotSent(failure))
        {
            return new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The submit to {Describe(request.RequestUri)} {what}. It may have reached the service, so it was not sent again: " +
                "a task may exist and be charged. List recent tasks (GET /api/v3/predictions) before submitting again.",
                predictionId, innerException: failure);
        }
        var kind = failure is OperationCanceledException ? GptImageErrorKind.Timeout : GptImageErrorKind.TransportFailed;
        return new GptImageException(kind, $"{request.Method} {Describe(request.RequestUri)} {what}" +
            (mode == RetryMode.Idempotent ? $" (after {Options.MaximumRetryCount + 1} attempts)." : "."), predictionId, innerException: failure);
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

    /// <summary>Throws the typed error an unsuccessful answer stands for.</summary>
    public async Task ThrowForStatusAsync(ApiResponse response, string? predictionId, bool submit = false)
    {
        if (response.IsSuccess) { return; }
        var (message, parameter, code, codeName) = await ReadErrorAsync(response).ConfigureAwait(false);
        var status = response.Status;
        var kind = status switch
        {
            _ when codeName is "moderation_blocked" or "content_policy_violation" => GptImageErrorKind.ContentModerated,
            401 => GptImageErrorKind.AuthenticationFailed,
            402 => GptImageErrorKind.InsufficientBalance,
            403 when message.IndexOf("balance", StringComparison.OrdinalIgnoreCase) >= 0 => GptImageErrorKind.InsufficientBalance,
            403 => GptImageErrorKind.Forbidden,
            >= 300 and < 400 => submit ? GptImageErrorKind.SubmitOutcomeUnknown : GptImageErrorKind.InvalidResponse,
            404 => GptImageErrorKind.NotFound,
            408 => GptImageErrorKind.Timeout,
            413 => GptImageErrorKind.InvalidFile,
            429 => GptImageErrorKind.RateLimited,
            >= 500 => GptImageErrorKind.ServiceUnavailable,
            _ when message.IndexOf("balance", StringComparison.OrdinalIgnoreCase) >= 0 => GptImageErrorKind.InsufficientBalance,
            _ => GptImageErrorKind.InvalidParameter,
        };
        var text = kind switch
        {
            GptImageErrorKind.AuthenticationFailed => $"The service refused the API key ({status}): {message}",
            GptImageErrorKind.RateLimited => $"Rate limited ({status}) after {Options.MaximumRetryCount + 1} attempts: {message}",
            _ when status is >= 300 and < 400 =>
                $"The service answered {status}, a redirect to '{Untrusted.Text(response.Message.Headers.Location?.ToString() ?? "nowhere")}'; API requests are not redirected" +
                (submit ? ". A task may exist; the submit was not sent again." : "."),
            GptImageErrorKind.ServiceUnavailable when submit =>
                $"The service answered the submit with {status} ({message}); it was not sent again because a task may have been created.",
            _ => $"{message} ({status})",
        };
        throw new GptImageException(kind, text, predictionId, status)
        {
            ParameterName = parameter,
            RetryAfter = RetryPolicy.ServerDelay(response.Message),
            TaskErrorCode = code,
        };
    }

    private async Task<(string Message, string? Parameter, int? Code, string? CodeName)> ReadErrorAsync(ApiResponse response)
    {
        string body;
        try
        {
            body = await ReadKeptAsync(response).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return (Untrusted.Text(response.Message.ReasonPhrase ?? "no message"), null, null, null);
        }
        string? message = null, parameter = null, codeName = null;
        int? code = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, ErrorBodyJsonContext.Default.ErrorBody);
            message = error?.Message;
            if (error?.Error.ValueKind == JsonValueKind.String) { message = error.Error.GetString(); }
            else if (error?.Error.ValueKind == JsonValueKind.Object)
            {
                message = error.Error.TryGetProperty("message", out var m) ? m.GetString() : null;
                parameter = error.Error.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                codeName = error.Error.TryGetProperty("code", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            }
            if (error?.Code.ValueKind == JsonValueKind.Number) { code = error.Code.GetInt32(); }
        }
        catch (JsonException)
        {
            message = body.Trim();
        }
        if (string.IsNullOrWhiteSpace(message)) { message = response.Message.ReasonPhrase ?? "no message"; }
        return (Untrusted.Text(Redact(message!)), parameter, code == response.Status ? null : code, codeName);
    }

    /// <summary>
    /// The first 16 KB of an error body, never more than that is read. A little more is read first, so that a key
    /// echoed across the cut is redacted whole before the cut (a cut key is no longer recognisable).
    /// </summary>
    private async Task<string> ReadKeptAsync(ApiResponse response)
    {
        var limit = MaxErrorBodyChars + (Options.Credential?.LongestForm ?? 0);
        using var reader = new StreamReader(await response.ReadBodyAsync().ConfigureAwait(false), Encoding.UTF8);
        var buffer = new char[limit];
        int total = 0, read;
        while (total < limit && (read = await reader.ReadAsync(buffer, total, limit - total).ConfigureAwait(false)) > 0) { total += read; }
        var body = Redact(new string(buffer, 0, total));
        return body.Length > MaxErrorBodyChars ? body.Substring(0, MaxErrorBodyChars) : body;
    }

    public string Redact(string text) => Options.Credential?.Redact(text) ?? text;

    public void Log(string line) => Options.Log?.Invoke(Untrusted.Text(Redact(line)));

    /// <summary>Logs a line built only when someone listens (-Verbose).</summary>
    public void Log(Func<string> line)
    {
        if (Options.Log is { } log) { log(Untrusted.Text(Redact(line()))); }
    }

    /// <summary>A URL for logs: without its query (presigned URLs carry signatures there).</summary>
    internal static string Describe(Uri? uri) =>
        uri is null ? "(none)" : uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) + (uri.Query.Length > 0 ? "?…" : "") : uri.ToString();

    internal static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A file streamed from disk as a request body, never read whole into memory.</summary>
    internal static StreamContent FileContent(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true), 81920);
}
