using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GptImage.Client;

/// <summary>An image format recognised by its first bytes.</summary>
public enum ImageFormat
{
    /// <summary>Not an accepted image.</summary>
    Unknown,
    /// <summary>PNG.</summary>
    Png,
    /// <summary>JPEG.</summary>
    Jpeg,
    /// <summary>WebP.</summary>
    WebP,
}

/// <summary>Image signatures, dimensions and the checks made on local inputs before any upload.</summary>
public static class ImageFiles
{
    /// <summary>Largest input WaveSpeed accepts.</summary>
    public const long MaxUploadBytes = 20L * 1024 * 1024;

    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>The format the bytes start with (12 bytes are enough).</summary>
    public static ImageFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 8 && head.Slice(0, 8).SequenceEqual(PngSignature)) { return ImageFormat.Png; }
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) { return ImageFormat.Jpeg; }
        if (head.Length >= 12 && head[0] == (byte)'R' && head[1] == (byte)'I' && head[2] == (byte)'F' && head[3] == (byte)'F'
            && head[8] == (byte)'W' && head[9] == (byte)'E' && head[10] == (byte)'B' && head[11] == (byte)'P')
        {
            return ImageFormat.WebP;
        }
        return ImageFormat.Unknown;
    }

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

    /// <summary>Width and height from a PNG header, or null.</summary>
    public static (int Width, int Height)? PngSize(ReadOnlySpan<byte> head)
    {
        if (Detect(head) != ImageFormat.Png || head.Length < 24) { return null; }
        return (BinaryPrimitives.ReadInt32BigEndian(head.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(head.Slice(20, 4)));
    }

    /// <summary>
    /// Width and height of a PNG, JPEG or WebP file, read from its headers (a JPEG's frame header may sit after
    /// large metadata segments, so the file is walked segment by segment); null when they cannot be read.
    /// </summary>
    public static (int Width, int Height)? Dimensions(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var head = new byte[30];
        var read = ReadFully(stream, head, 0, head.Length);
        var span = new ReadOnlySpan<byte>(head, 0, read);
        return Detect(span) switch
        {
            ImageFormat.Png => PngSize(span),
            ImageFormat.WebP => WebPSize(span),
            ImageFormat.Jpeg => JpegSize(stream),
            _ => null,
        };
    }

    /// <summary>Width and height from the first 30 bytes of a WebP (lossy VP8, lossless VP8L or extended VP8X).</summary>
    internal static (int Width, int Height)? WebPSize(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30) { return null; }
        var chunk = System.Text.Encoding.ASCII.GetString(head.Slice(12, 4).ToArray());
        switch (chunk)
        {
            case "VP8 ":
                // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
                if (head[23] != 0x9D || head[24] != 0x01 || head[25] != 0x2A) { return null; }
                return (BinaryPrimitives.ReadUInt16LittleEndian(head.Slice(26, 2)) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(head.Slice(28, 2)) & 0x3FFF);
            case "VP8L":
                if (head[20] != 0x2F) { return null; }
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(21, 4));
                return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
            case "VP8X":
                return (1 + (head[24] | (head[25] << 8) | (head[26] << 16)), 1 + (head[27] | (head[28] << 8) | (head[29] << 16)));
            default:
                return null;
        }
    }

    /// <summary>Width and height from a JPEG's first start-of-frame segment; the stream is positioned anywhere after SOI.</summary>
    private static (int Width, int Height)? JpegSize(Stream stream)
    {
        stream.Position = 2;
        var buffer = new byte[7];
        while (ReadFully(stream, buffer, 0, 4) == 4)
        {
            if (buffer[0] != 0xFF) { return null; }
            var marker = buffer[1];
            if (marker == 0xFF) { stream.Position -= 3; continue; }
            var length = (buffer[2] << 8) | buffer[3];
            // SOF0..SOF15 carry the dimensions, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                if (ReadFully(stream, buffer, 0, 5) < 5) { return null; }
                return ((buffer[3] << 8) | buffer[4], (buffer[1] << 8) | buffer[2]);
            }
            if (marker == 0xDA || length < 2) { return null; }
            stream.Position += length - 2;
        }
        return null;
    }

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
        if (Directory.Exists(path))
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile, $"'{path}' is a directory, not an image file.");
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new GptImageException(GptImageErrorKind.FileNotFound, $"The image file '{path}' does not exist.");
        }
        // FIFOs, sockets and devices report no length; opening one may block for ever, so it is never opened.
        if (info.Length == 0)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile, $"'{path}' is empty or not a regular file (a pipe or a device); images are read from regular files only.");
        }
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
