using System.Text;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>Writing answers in each API's shape, and applying the request-level part of a fault.</summary>
internal static class Respond
{
    public static async Task JsonAsync(HttpContext context, int status, JsonNode body, Fault? fault = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var text = body.ToJsonString();
        if (fault?.Malformed == true)
        {
            text = text[..(text.Length / 2)];
        }
        await context.Response.WriteAsync(text, Encoding.UTF8).ConfigureAwait(false);
    }

    public static Task EnvelopeAsync(HttpContext context, JsonNode data, Fault? fault = null) =>
        JsonAsync(context, 200, new JsonObject { ["code"] = 200, ["message"] = "success", ["data"] = data }, fault);

    public static Task WaveSpeedErrorAsync(HttpContext context, int status, string message) =>
        JsonAsync(context, status, new JsonObject { ["code"] = status, ["message"] = message, ["data"] = null });

    public static Task OpenAiErrorAsync(HttpContext context, int status, string message, string type = "invalid_request_error", string? param = null, string? code = null) =>
        JsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        });

    public static Task ErrorAsync(HttpContext context, ErrorStyle style, int status, string message, string? code = null) =>
        style == ErrorStyle.WaveSpeed
            ? WaveSpeedErrorAsync(context, status, message)
            : OpenAiErrorAsync(context, status, message, status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error", null, code);

    /// <summary>Applies latency, resets and injected statuses. True when the request has been answered (or dropped).</summary>
    public static async Task<bool> ApplyFaultAsync(HttpContext context, EmulatorState state, Fault fault, ErrorStyle style)
    {
        var latency = state.Options.ResponseLatencyMs + fault.LatencyMs;
        if (latency > 0)
        {
            await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
        }
        if (fault.Reset)
        {
            Interlocked.Increment(ref state.Stats.FaultsInjected);
            context.Abort();
            return true;
        }
        if (fault.Status == 0)
        {
            return false;
        }
        Interlocked.Increment(ref state.Stats.FaultsInjected);
        if (fault.Status == 429)
        {
            Interlocked.Increment(ref state.Stats.RateLimited);
        }
        if (fault.RetryAfter is not null) { context.Response.Headers.RetryAfter = fault.RetryAfter; }
        if (fault.RetryAfterMs is not null) { context.Response.Headers["retry-after-ms"] = fault.RetryAfterMs; }
        var message = fault.Status switch
        {
            429 => "Too many requests, please slow down",
            500 => "Internal server error",
            502 => "Bad gateway",
            503 => "Service temporarily unavailable",
            504 => "Gateway timeout",
            _ => "Injected failure",
        };
        await ErrorAsync(context, style, fault.Status, message).ConfigureAwait(false);
        return true;
    }

    /// <summary>Bearer key check. False (and a 401 written) when the key is missing or wrong; the key is never echoed.</summary>
    public static async Task<bool> AuthorizeAsync(HttpContext context, EmulatorState state, ErrorStyle style)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header == "Bearer " + state.Options.ApiKey)
        {
            return true;
        }
        Interlocked.Increment(ref state.Stats.Unauthorized);
        if (style == ErrorStyle.WaveSpeed)
        {
            await WaveSpeedErrorAsync(context, 401, "Unauthorized: the API key is missing, invalid or not activated").ConfigureAwait(false);
        }
        else
        {
            await OpenAiErrorAsync(context, 401, "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key").ConfigureAwait(false);
        }
        return false;
    }

    public static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
}
