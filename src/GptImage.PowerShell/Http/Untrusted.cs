using System;
using System.Linq;
using System.Text;

namespace GptImage.Http;

/// <summary>
/// The service's answers are untrusted input. This is what may be taken from them: text without control
/// characters, outputs that are http(s) URLs or base64, and ids that stay one path segment.
/// </summary>
internal static class Untrusted
{
    /// <summary>
    /// The one text cleaner for what a service says, before it reaches an object, a message, a log line or a file name:
    /// a terminal escape sequence (ESC or CSI with what follows, up to its final character; an OSC or DCS string up to
    /// its terminator) goes; any other control character (C0, DEL, C1: bells, line rewrites) becomes a space, so words
    /// stay apart; bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, and the marks U+200E, U+200F,
    /// U+061C) and zero-width characters (U+200B–U+200D, U+2060, U+FEFF) go, so text cannot disguise itself.
    /// </summary>
    public static string Text(string text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsCleaning)) { return text; }
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\u001B' or '\u009B' or '\u009D' or '\u0090')
            {
                i = EndOfEscape(text, i);
                continue;
            }
            if (IsInvisibleFormat(c)) { continue; }
            clean.Append(char.IsControl(c) ? ' ' : c);
        }
        return clean.ToString();
    }

    private static bool NeedsCleaning(char c) => char.IsControl(c) || IsInvisibleFormat(c);

    /// <summary>Bidi controls and zero-width characters: they reorder or hide what a reader sees.</summary>
    private static bool IsInvisibleFormat(char c) =>
        c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C'
            or (>= '\u200B' and <= '\u200D') or '\u2060' or '\uFEFF';

    /// <summary>
    /// The index of the last character of the escape sequence starting at <paramref name="start"/>: CSI (ESC [ or
    /// U+009B) runs to a final character @–~; OSC and DCS (ESC ], ESC P, U+009D, U+0090) to BEL or ST (ESC \ or U+009C);
    /// any other ESC takes the one character after it. A sequence cut off by the end of the text runs to the end.
    /// </summary>
    private static int EndOfEscape(string text, int start)
    {
        var c = text[start];
        var i = start + 1;
        if (c == '\u001B')
        {
            if (i >= text.Length) { return start; }
            c = text[i] switch { '[' => '\u009B', ']' => '\u009D', 'P' => '\u0090', _ => '\0' };
            if (c == '\0') { return i; }
            i++;
        }
        if (c == '\u009B')
        {
            while (i < text.Length && !(text[i] >= '@' && text[i] <= '~')) { i++; }
            return Math.Min(i, text.Length - 1);
        }
        for (; i < text.Length; i++)
        {
            if (text[i] is '\u0007' or '\u009C') { return i; }
            if (text[i] == '\u001B' && i + 1 < text.Length && text[i + 1] == '\\') { return i + 1; }
        }
        return text.Length - 1;
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
