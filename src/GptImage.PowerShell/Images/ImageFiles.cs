using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace GptImage.Images;

/// <summary>
/// Image formats and dimensions (read from the headers through <see cref="BoundedImageReader"/>, never by
/// decoding), completeness, and the checks made on local inputs before any upload.
/// </summary>
internal static class ImageFiles
{
    /// <summary>Largest input WaveSpeed accepts.</summary>
    public const long MaxUploadBytes = 20L * 1024 * 1024;

    /// <summary>The format the bytes start with (12 bytes are enough).</summary>
    public static ImageFormat Detect(ReadOnlySpan<byte> head) => Image.DetectFormat(BoundedImageReader.Formats, head) switch
    {
        PngFormat => ImageFormat.Png,
        JpegFormat => ImageFormat.Jpeg,
        WebpFormat => ImageFormat.WebP,
        _ => ImageFormat.Unknown,
    };

    private static readonly byte[] PngEnd = { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 };

    /// <summary>
    /// Whether an image of <paramref name="length"/> bytes ends where its format says it ends: a PNG with its
    /// IEND chunk, a JPEG with its EOI marker, a WebP at the length its RIFF header declares.
    /// </summary>
    public static bool IsComplete(ImageFormat format, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long length) => format switch
    {
        ImageFormat.Png => tail.Length >= PngEnd.Length && tail.Slice(tail.Length - PngEnd.Length).SequenceEqual(PngEnd),
        ImageFormat.Jpeg => tail.Length >= 2 && tail[tail.Length - 2] == 0xFF && tail[tail.Length - 1] == 0xD9,
        ImageFormat.WebP => head.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(4, 4)) + 8L == length,
        _ => false,
    };

    /// <summary>The format a name or file extension stands for (png, jpg/jpeg, webp, with or without a dot, any case).</summary>
    public static ImageFormat FormatNamed(string? name) => name?.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        "png" => ImageFormat.Png,
        "jpg" or "jpeg" => ImageFormat.Jpeg,
        "webp" => ImageFormat.WebP,
        _ => ImageFormat.Unknown,
    };

    /// <summary>The API's name of a format: png, jpeg or webp.</summary>
    public static string Name(ImageFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>The file extension for a format, with its dot.</summary>
    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.WebP => ".webp",
        _ => ".png",
    };

    /// <summary>The MIME type for a format.</summary>
    public static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.WebP => "image/webp",
        _ => "image/png",
    };

    /// <summary>
    /// Width and height of a user's PNG, JPEG or WebP file, read from its headers by <see cref="BoundedImageReader"/>;
    /// null when they cannot be read.
    /// </summary>
    public static (int Width, int Height)? Dimensions(string path) => BoundedImageReader.Dimensions(path, ImageOrigin.UserFile);

    private static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
    {
        var read = 0;
        int n;
        while (read < count && (n = stream.Read(buffer, offset + read, count - read)) > 0) { read += n; }
        return read;
    }

    /// <summary>A size limit as a message states it: "20 MB", or "under 4 MB" for a limit one byte short of whole megabytes.</summary>
    public static string DescribeLimit(long maxBytes) =>
        (maxBytes + 1) % 1048576 == 0
            ? $"under {(maxBytes + 1) / 1048576} MB ({maxBytes + 1} bytes)"
            : maxBytes % 1048576 == 0 ? $"{maxBytes / 1048576} MB ({maxBytes} bytes)" : $"{maxBytes} bytes";

    /// <summary>Reads the first bytes of a file; one that cannot be read is FileNotReadable, naming it.</summary>
    public static byte[] ReadHead(string path, int count = 32)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[count];
            var read = ReadFully(stream, buffer, 0, count);
            return buffer.Take(read).ToArray();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new GptImageException(GptImageErrorKind.FileNotReadable, $"The image file '{path}' cannot be read: {e.Message}", innerException: e);
        }
    }

    /// <summary>
    /// Checks a local input: it exists, is a regular file (not a directory, FIFO or device, which would block or
    /// never end), can be read, is PNG/JPEG/WebP by its bytes (a mask: PNG) and is at most <paramref name="maxBytes"/>.
    /// and of a format in <paramref name="formats"/> when given. Returns its format; throws FileNotFound,
    /// FileNotReadable or InvalidFile naming the path.
    /// </summary>
    public static ImageFormat CheckInput(string path, bool isMask = false, long maxBytes = MaxUploadBytes, IReadOnlyCollection<ImageFormat>? formats = null, string? takenBy = null)
    {
        // FIFOs, sockets and devices are refused before anything opens them: opening one may block for ever.
        var info = BoundedImageReader.RegularFile(path, ImageOrigin.UserFile);
        if (info.Length > maxBytes)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile,
                $"'{path}' has {info.Length} bytes ({info.Length / 1048576.0:0.0} MB); {(isMask ? "a mask" : "an input")} must be {DescribeLimit(maxBytes)}.");
        }
        var format = Detect(ReadHead(path));
        if (format == ImageFormat.Unknown)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile, $"'{path}' is not a PNG, JPEG or WebP image (judged by its contents, not its name).");
        }
        if (isMask && format != ImageFormat.Png)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile, $"The mask '{path}' is {format}; a mask must be a PNG (its transparent pixels mark where to edit).");
        }
        if (formats is not null && !formats.Contains(format))
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile,
                $"'{path}' is {format}; {takenBy ?? "this model"} takes {string.Join(" and ", formats.Select(f => f == ImageFormat.Jpeg ? "JPG" : f.ToString().ToUpperInvariant()))} only.");
        }
        return format;
    }
}
