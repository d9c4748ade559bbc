using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;

namespace GptImage.Http;

/// <summary>
/// A request body as -Debug shows it, one line: JSON with secrets and tokens elided, base64 (bare or a data URI) as
/// <c>&lt;base64, N bytes&gt;</c>, URL queries (signatures) cut and long text (a prompt) cut at <see cref="MaxText"/>
/// characters; a multipart form as its fields and its file parts (name, file name, size), never a file's bytes; any
/// other body (a file streamed to an upload URL) as its type and size. The caller redacts the key and cleans the line.
/// </summary>
internal static class RequestBodies
{
    /// <summary>The longest text shown whole; a longer one is cut there.</summary>
    public const int MaxText = 200;

    /// <summary>Shorter strings are shown as they are even when they read as base64 (a word, an id).</summary>
    private const int MinBase64 = 64;

    private static readonly string[] SecretNames = { "key", "api_key", "apikey", "token", "secret", "password", "authorization" };
    private static readonly string[] SecretSuffixes = { "_key", "_token", "_secret", "_password" };

    /// <summary>
    /// The body of <paramref name="content"/> as -Debug shows it, or null when there is none. <paramref name="redact"/>
    /// (the key's redaction) runs on each value before it is cut, so a cut never leaves part of the key.
    /// </summary>
    public static async Task<string?> DescribeAsync(HttpContent? content, Func<string, string>? redact = null)
    {
        redact ??= text => text;
        switch (content)
        {
            case null:
                return null;
            case MultipartFormDataContent form:
                var parts = new List<string>();
                foreach (var part in form) { parts.Add(await PartAsync(part, redact).ConfigureAwait(false)); }
                return "multipart/form-data: " + string.Join("; ", parts);
            case StringContent text:
                var body = await text.ReadAsStringAsync().ConfigureAwait(false);
                return Json(body, redact) ?? Elide(null, redact(body));
            default:
                return $"{content.Headers.ContentType?.MediaType ?? "application/octet-stream"}, {Size(content)} (not shown)";
        }
    }

    private static async Task<string> PartAsync(HttpContent part, Func<string, string> redact)
    {
        var name = Unquote(part.Headers.ContentDisposition?.Name) ?? "(unnamed)";
        if (part is StringContent field && part.Headers.ContentDisposition?.FileName is null)
        {
            return $"{name}={Elide(name, redact(await field.ReadAsStringAsync().ConfigureAwait(false)))}";
        }
        var file = Unquote(part.Headers.ContentDisposition?.FileName);
        return $"{name}: file {(file is null ? "" : $"'{Path.GetFileName(file)}', ")}{Size(part)}, {part.Headers.ContentType?.MediaType ?? "application/octet-stream"}";
    }

    /// <summary>The size of a part without reading it (a file's length), or "size unknown".</summary>
    private static string Size(HttpContent content) =>
        content.Headers.ContentLength is { } length ? length.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "size unknown";

    private static string? Unquote(string? value) => value?.Trim('"');

    /// <summary>The JSON with each string elided by its property name, compact; null when the body is not JSON.</summary>
    private static string? Json(string body, Func<string, string> redact)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, document.RootElement, null, redact);
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, string? name, Func<string, string> redact)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, property.Name, redact);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) { Write(writer, item, name, redact); }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Elide(name, redact(element.GetString() ?? string.Empty)));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// A value as shown: a secret's or token's as <c>&lt;redacted&gt;</c>, base64 as <c>&lt;base64, N bytes&gt;</c>, a
    /// URL without its query, text longer than <see cref="MaxText"/> cut with its length.
    /// </summary>
    internal static string Elide(string? name, string value)
    {
        if (name is not null && IsSecret(name)) { return "<redacted>"; }
        if (DataUri(value) is { } payload) { return Base64(payload); }
        // A prompt is text even when it reads as base64 (one long word).
        if (value.Length >= MinBase64 && name?.IndexOf("prompt", StringComparison.OrdinalIgnoreCase) is null or < 0 && Untrusted.IsBase64(value)) { return Base64(value); }
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && Untrusted.IsWeb(uri) && uri.Query.Length > 0)
        {
            value = uri.GetLeftPart(UriPartial.Path) + "?…";
        }
        return value.Length <= MaxText ? value : value.Substring(0, MaxText) + $"… ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
    }

    private static bool IsSecret(string name)
    {
        var lower = name.ToLowerInvariant();
        return SecretNames.Contains(lower) || SecretSuffixes.Any(s => lower.EndsWith(s, StringComparison.Ordinal));
    }

    /// <summary>The base64 payload of a data URI (<c>data:image/png;base64,…</c>), or null.</summary>
    private static string? DataUri(string value)
    {
        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) { return null; }
        var comma = value.IndexOf(',');
        return comma > 0 && value.Substring(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase) ? value.Substring(comma + 1) : null;
    }

    /// <summary>How base64 is shown: the count of bytes it stands for.</summary>
    private static string Base64(string payload)
    {
        var padding = payload.Length - payload.TrimEnd('=').Length;
        var bytes = Math.Max(0L, (payload.Length / 4 * 3L) - padding);
        return $"<base64, {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes>";
    }
}
