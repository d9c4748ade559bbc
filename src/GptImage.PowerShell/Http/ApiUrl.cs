using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace GptImage.Http;

/// <summary>
/// The one builder of request URLs: the connection's base URI, then checked path segments, then an escaped query.
/// Nothing given by a user or a service (a model id, a task id, a webhook URL) can change the host, leave the
/// endpoint's path or add a query of its own: a part that could is refused, never escaped into something else.
/// </summary>
internal sealed class ApiUrl
{
    private readonly Uri _base;
    private readonly IReadOnlyList<string> _segments;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _query;

    private ApiUrl(Uri baseUri, IReadOnlyList<string> segments, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        _base = baseUri;
        _segments = segments;
        _query = query;
    }

    /// <summary>The base URI of a connection, as the root every request path is added to.</summary>
    public static ApiUrl Root(Uri baseUri)
    {
        if (baseUri is null || !baseUri.IsAbsoluteUri) { throw new ArgumentException("The base URI must be absolute.", nameof(baseUri)); }
        return new ApiUrl(baseUri, Array.Empty<string>(), Array.Empty<KeyValuePair<string, string>>());
    }

    /// <summary>
    /// Path segments joined by '/', each of the model id grammar (<see cref="ModelIdProblem"/>): the module's own
    /// route names and a model id, which may span segments.
    /// </summary>
    public ApiUrl Path(string path)
    {
        if (ModelIdProblem(path) is { } problem) { throw new ArgumentException($"The path '{Untrusted.Text(path)}' {problem}.", nameof(path)); }
        return new ApiUrl(_base, _segments.Concat(path.Split('/')).ToList(), _query);
    }

    /// <summary>Exactly one path segment, escaped (a task id): refused when it could be read as more than one.</summary>
    public ApiUrl Segment(string segment)
    {
        if (Untrusted.IdProblem(segment) is { } problem) { throw new ArgumentException($"The path segment '{Untrusted.Text(segment ?? string.Empty)}' {problem}.", nameof(segment)); }
        return new ApiUrl(_base, _segments.Concat(new[] { Uri.EscapeDataString(segment) }).ToList(), _query);
    }

    /// <summary>A query field, its name and value escaped.</summary>
    public ApiUrl Query(string name, string value) =>
        new(_base, _segments, _query.Concat(new[] { new KeyValuePair<string, string>(name, value) }).ToList());

    /// <summary>The absolute URL: the base URI's scheme, host and path, the segments below it, and the query.</summary>
    public Uri ToUri()
    {
        var text = new StringBuilder(_base.GetLeftPart(UriPartial.Path));
        // The base URI as given when nothing is added to it (an endpoint such as IDENTITY_ENDPOINT is used exactly).
        if (_segments.Count > 0 && text[text.Length - 1] != '/') { text.Append('/'); }
        text.Append(string.Join("/", _segments));
        for (var i = 0; i < _query.Count; i++)
        {
            text.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(_query[i].Key)).Append('=').Append(Uri.EscapeDataString(_query[i].Value));
        }
        return new Uri(text.ToString(), UriKind.Absolute);
    }

    /// <inheritdoc />
    public override string ToString() => ToUri().AbsoluteUri;

    /// <summary>
    /// Why a model id (or a route) is not path segments of <c>[A-Za-z0-9._-]</c> joined by '/', with no '.' or '..'
    /// segment, or null when it is. Anything else (%, ?, #, \, whitespace, control characters, an empty segment) could
    /// steer the request to another endpoint, add a query or cut the path.
    /// </summary>
    public static string? ModelIdProblem(string? id)
    {
        if (id is null || id.Length == 0) { return "is empty"; }
        if (id.Any(c => !IsIdChar(c) && c != '/'))
        {
            var bad = id.First(c => !IsIdChar(c) && c != '/');
            return $"holds {(bad is > ' ' and < '\u007F' ? "'" + bad + "'" : $"U+{(int)bad:X4}")}; a model id is made of " +
                   "letters, digits, '.', '_' and '-' in segments joined by '/'";
        }
        foreach (var segment in id.Split('/'))
        {
            if (segment.Length == 0) { return "has an empty segment (a leading, trailing or doubled '/')"; }
            if (segment is "." or "..") { return "has a '.' or '..' segment"; }
        }
        return null;
    }

    private static bool IsIdChar(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';
}
