using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using GptImage.Http.Auth;
using GptImage.Http.Retry;

namespace GptImage.Http;

/// <summary>Turns an unsuccessful answer into the typed error it stands for, reading at most 16 KB of its body, redacted.</summary>
internal static class ApiErrors
{
    private const int MaxErrorBodyChars = 16 * 1024;

    /// <summary>Throws the typed error an unsuccessful answer stands for.</summary>
    public static async Task ThrowForStatusAsync(ApiTransport transport, ApiResponse response, string? predictionId, bool submit = false)
    {
        if (response.IsSuccess) { return; }
        var (message, parameter, code, codeName) = await ReadErrorAsync(transport, response).ConfigureAwait(false);
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
            GptImageErrorKind.AuthenticationFailed => (transport.Options.Credential ?? new ApiCredential("-", false)).Refused(transport.Options.Provider, status, message),
            GptImageErrorKind.RateLimited => $"Rate limited ({status}) after {transport.Options.MaximumRetryCount + 1} attempts: {message}",
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

    /// <summary>
    /// The typed error of a request that got no answer: a submit that may have arrived is SubmitOutcomeUnknown (never sent
    /// again), else a timeout or a transport failure, with the attempts made.
    /// </summary>
    public static GptImageException TransportFailure(ApiTransport transport, Exception failure, RetryMode mode, string? predictionId, HttpRequestMessage request, int attempts)
    {
        var what = failure is OperationCanceledException ? "timed out" : "failed: " + transport.Redact(failure.Message);
        if (mode == RetryMode.Submit && !RetryPolicy.CertainlyNotSent(failure))
        {
            return new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
                $"The submit to {ApiTransport.Describe(request.RequestUri)} {what}. It may have reached the service, so it was not sent again: " +
                "a task may exist and be charged. List recent tasks (GET /api/v3/predictions) before submitting again.",
                predictionId, innerException: failure);
        }
        var kind = failure is OperationCanceledException ? GptImageErrorKind.Timeout : GptImageErrorKind.TransportFailed;
        return new GptImageException(kind, $"{request.Method} {ApiTransport.Describe(request.RequestUri)} {what}" +
            (attempts > 1 ? $" (after {attempts} attempts)." : "."), predictionId, innerException: failure);
    }

    private static async Task<(string Message, string? Parameter, int? Code, string? CodeName)> ReadErrorAsync(ApiTransport transport, ApiResponse response)
    {
        string body;
        try
        {
            body = await ReadKeptAsync(transport, response).ConfigureAwait(false);
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
        return (Untrusted.Text(transport.Redact(message!)), parameter, code == response.Status ? null : code, codeName);
    }

    /// <summary>
    /// The first 16 KB of an error body, never more than that is read. A little more is read first, so that a key
    /// echoed across the cut is redacted whole before the cut (a cut key is no longer recognisable).
    /// </summary>
    private static async Task<string> ReadKeptAsync(ApiTransport transport, ApiResponse response)
    {
        var limit = MaxErrorBodyChars + (transport.Options.Credential?.LongestForm ?? 0);
        using var reader = new StreamReader(await response.ReadBodyAsync().ConfigureAwait(false), Encoding.UTF8);
        var buffer = new char[limit];
        int total = 0, read;
        while (total < limit && (read = await reader.ReadAsync(buffer, total, limit - total).ConfigureAwait(false)) > 0) { total += read; }
        var body = transport.Redact(new string(buffer, 0, total));
        return body.Length > MaxErrorBodyChars ? body.Substring(0, MaxErrorBodyChars) : body;
    }
}
