using System;
using System.Linq;
using System.Text;

namespace GptImage.Client;

/// <summary>
/// The service's answers are untrusted input. This is what may be taken from them: text without control
/// characters, outputs that are http(s) URLs or base64, and ids that stay one path segment.
/// </summary>
internal static class Untrusted
{
    /// <summary>
    /// The text with every control character (C0, DEL, C1: terminal escapes, bells, line rewrites) replaced by a
    /// space, so server text cannot drive the terminal it is shown in.
    /// </summary>
    public static string Text(string text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(char.IsControl)) { return text; }
        var clean = new StringBuilder(text.Length);
        foreach (var c in text) { clean.Append(char.IsControl(c) ? ' ' : c); }
        return clean.ToString();
    }

    /// <summary>Whether a URI may be fetched: absolute http or https, nothing else (no file:, ftp:, local paths).</summary>
    public static bool IsWeb(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>Whether a string can be base64 (the alphabet, padded to a multiple of 4).</summary>
    public static bool IsBase64(string text) =>
        text.Length > 0 && text.Length % 4 == 0
        && text.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=');

    /// <summary>
    /// Why an id cannot be one path segment under /predictions/ (empty, a dot segment, a separator, a control
    /// character), or null when it can.
    /// </summary>
    public static string? IdProblem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) { return "is empty"; }
        if (id!.Trim('.').Length == 0) { return "is a dot segment"; }
        if (id.Any(c => c is '/' or '\\' or '?' or '#' or '%')) { return "holds a path separator, '?', '#' or '%'"; }
        if (id.Any(char.IsControl)) { return "holds control characters"; }
        return null;
    }

    /// <summary>A prediction id the user gave, refused before anything is sent when it is not one path segment.</summary>
    public static string UserId(string? id)
    {
        var trimmed = id?.Trim();
        if (IdProblem(trimmed) is { } problem)
        {
            throw GptImageException.InvalidParameter("Id", $"The prediction id '{Text(id ?? string.Empty)}' {problem}: an id is one segment of a URL path.");
        }
        return trimmed!;
    }

    /// <summary>A prediction id the service gave, refused when it is not one path segment.</summary>
    public static string ServiceId(string id, int? status)
    {
        if (IdProblem(id) is { } problem)
        {
            throw new GptImageException(GptImageErrorKind.UnsafeResponse,
                $"The service answered the prediction id '{Text(id)}', which {problem}; it is not used in a URL.", null, status);
        }
        return id;
    }
}
