using System;

namespace GptImage.Requests;

/// <summary>An input image: a local file (uploaded first) or a URL the service can read.</summary>
internal sealed class ImageSource
{
    private ImageSource(string? path, Uri? uri)
    {
        LocalPath = path;
        Uri = uri;
    }

    /// <summary>The full path of a local file, or null.</summary>
    public string? LocalPath { get; }

    /// <summary>The URL, or null for a local file.</summary>
    public Uri? Uri { get; }

    /// <summary>A local file; it is checked and uploaded before the submit.</summary>
    public static ImageSource FromFile(string fullPath) => new(fullPath ?? throw new ArgumentNullException(nameof(fullPath)), null);

    /// <summary>An http(s) URL.</summary>
    public static ImageSource FromUri(Uri uri)
    {
        if (uri is null) { throw new ArgumentNullException(nameof(uri)); }
        if (!uri.IsAbsoluteUri || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw GptImageException.InvalidParameter("Uri", $"'{uri}' is not an absolute http or https URL.");
        }
        return new(null, uri);
    }

    /// <inheritdoc />
    public override string ToString() => LocalPath ?? Uri!.ToString();
}
