using System;
using System.Collections.Generic;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace GptImage.Client.Gallery;

/// <summary>
/// Small JPEG thumbnails as data URIs, made one at a time with ImageSharp. Only PNG, JPEG and WebP are
/// decoded, and an image is measured from its header before it is decoded: one larger than
/// <see cref="MaxPixels"/> (a decompression bomb, or not an output of ours) gets no thumbnail. The decoders
/// are those of <see cref="ImageFiles.Formats"/>.
/// </summary>
internal sealed class Thumbnails
{
    /// <summary>The longest edge of a thumbnail, in pixels.</summary>
    public const int MaxEdge = 256;

    /// <summary>The largest image decoded for a thumbnail (the models' largest output is 1536x1024).</summary>
    public const long MaxPixels = 4096L * 4096L;

    private readonly Dictionary<string, string?> _made = new(StringComparer.Ordinal);

    /// <summary>A <c>data:image/jpeg;base64,…</c> thumbnail of the image at <paramref name="path"/>, or null when it cannot be read.</summary>
    public string? DataUriOf(string path)
    {
        if (_made.TryGetValue(path, out var known)) { return known; }
        var made = Make(path);
        _made[path] = made;
        return made;
    }

    private static string? Make(string path)
    {
        try
        {
            if (!File.Exists(path)) { return null; }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var info = Image.Identify(ImageFiles.Formats, stream);
            if (info is null || (long)info.Width * info.Height > MaxPixels) { return null; }
            stream.Position = 0;
            using var image = Image.Load<Rgba32>(ImageFiles.Formats, stream);
            image.Mutate(x => x
                .Resize(new ResizeOptions { Size = new Size(MaxEdge, MaxEdge), Mode = ResizeMode.Max })
                // JPEG has no alpha: a transparent image is shown on white.
                .BackgroundColor(Color.White));
            using var buffer = new MemoryStream();
            image.SaveAsJpeg(buffer, new JpegEncoder { Quality = 70 });
            return "data:image/jpeg;base64," + Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageFormatException or InvalidImageContentException or UnknownImageFormatException or NotSupportedException or InvalidMemoryOperationException)
        {
            // A file that cannot be read or decoded gets no thumbnail; the card still links to it.
            return null;
        }
    }
}
