using System;
using System.Collections.Generic;
using System.IO;
using GptImage.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace GptImage.Gallery;

/// <summary>
/// Small JPEG thumbnails as data URIs, made one at a time through <see cref="BoundedImageReader"/>: regular
/// files only, an image measured from its header before it is decoded (one larger than <see cref="MaxPixels"/>,
/// a decompression bomb or not an output of ours, gets no thumbnail), within its memory and time limits. A file
/// refused for a limit is reported to <c>warn</c> and linked without a preview.
/// </summary>
internal sealed class Thumbnails
{
    /// <summary>The longest edge of a thumbnail, in pixels.</summary>
    public const int MaxEdge = 256;

    /// <summary>The largest image decoded for a thumbnail (the models' largest output is 1536x1024).</summary>
    public const long MaxPixels = 4096L * 4096L;

    private readonly Dictionary<string, string?> _made = new(StringComparer.Ordinal);
    private readonly Action<string>? _warn;

    /// <param name="warn">Hears why a file got no thumbnail when it was refused (a pipe, a bomb); null to stay silent.</param>
    public Thumbnails(Action<string>? warn = null) => _warn = warn;

    /// <summary>
    /// A <c>data:image/jpeg;base64,…</c> thumbnail of the image at <paramref name="path"/> (a user's file or a
    /// service's output, by <paramref name="origin"/>), or null when it cannot be read.
    /// </summary>
    public string? DataUriOf(string path, ImageOrigin origin = ImageOrigin.ServiceOutput)
    {
        if (_made.TryGetValue(path, out var known)) { return known; }
        var made = Make(path, origin);
        _made[path] = made;
        return made;
    }

    private string? Make(string path, ImageOrigin origin)
    {
        try
        {
            if (!File.Exists(path)) { return null; }
            return BoundedImageReader.Decode(path, origin, MaxPixels, image =>
            {
                image.Mutate(x => x
                    .Resize(new ResizeOptions { Size = new Size(MaxEdge, MaxEdge), Mode = ResizeMode.Max })
                    // JPEG has no alpha: a transparent image is shown on white.
                    .BackgroundColor(Color.White));
                using var buffer = new MemoryStream();
                image.SaveAsJpeg(buffer, new JpegEncoder { Quality = 70 });
                return "data:image/jpeg;base64," + Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
            });
        }
        catch (GptImageException e) when (e.Kind is GptImageErrorKind.InvalidFile or GptImageErrorKind.InvalidResponse)
        {
            _warn?.Invoke($"No thumbnail for '{path}': {e.Message}");
            return null;
        }
        catch (GptImageException)
        {
            // Gone or unreadable since it was listed: the card still links to it.
            return null;
        }
    }
}
