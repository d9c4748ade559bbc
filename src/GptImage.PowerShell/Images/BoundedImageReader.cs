using System;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace GptImage.Images;

/// <summary>
/// The one way the module reads an image it inspects (the input and mask checks, gallery thumbnails): a small
/// file can be a decompression bomb, and a name can stand for a pipe that never ends. So only regular files are
/// read (a FIFO or a device is refused before it is opened: opening a FIFO blocks until a writer comes); the
/// decoders skip metadata (ImageSharp 2.1.13's PNG decoder then never inflates a zTXt or iTXt chunk, and it reads
/// no iCCP at all); a read holds at most <see cref="MaxWorkingBytes"/> beyond the pixels it was asked to decode
/// and lasts at most <see cref="MaxTime"/>. An image past a limit (a decompression bomb) is refused as InvalidParameter
/// (a user's file) or InvalidResponse (a service's output), never a runaway; a pipe, device or directory is InvalidFile. Nothing else in the module calls ImageSharp's decoders.
/// </summary>
internal static class BoundedImageReader
{
    /// <summary>The most memory a read holds beyond the pixels it decodes (none for dimensions).</summary>
    public const long MaxWorkingBytes = 64L * 1024 * 1024;

    /// <summary>The largest file read: the largest download the module takes by default.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The longest a read of one image lasts.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The one ImageSharp configuration of the module: PNG, JPEG and WebP only (no other decoder is ever run on
    /// what a service or a user hands over), each told to ignore metadata, with a small memory pool.
    /// </summary>
    internal static readonly Configuration Formats = CreateFormats();

    private static Configuration CreateFormats()
    {
        var formats = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 8 }),
        };
        formats.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        formats.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        formats.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        return formats;
    }

    /// <summary>
    /// The file at <paramref name="path"/> when it is a regular, non-empty file, checked without opening it. File
    /// attributes cannot tell: .NET and Mono report a FIFO or a device as Normal; but its length (stat's st_size)
    /// is 0, so an empty length is refused. Throws FileNotFound, or the origin's kind naming the path.
    /// </summary>
    public static FileInfo RegularFile(string path, ImageOrigin origin)
    {
        if (Directory.Exists(path)) { throw Refused(origin, $"'{path}' is a directory, not an image file."); }
        var info = new FileInfo(path);
        if (!info.Exists) { throw new GptImageException(GptImageErrorKind.FileNotFound, $"The image file '{path}' does not exist."); }
        if (info.Length == 0)
        {
            throw Refused(origin, $"'{path}' is empty or not a regular file (a pipe or a device); images are read from regular files only.");
        }
        return info;
    }

    /// <summary>Width and height of a PNG, JPEG or WebP file, read from its headers; null when it is not one that can be read.</summary>
    public static (int Width, int Height)? Dimensions(string path, ImageOrigin origin, TimeSpan? timeLimit = null) =>
        Read(path, origin, 0, MaxWorkingBytes, timeLimit, (formats, stream) => Image.Identify(formats, stream) is { } info ? (info.Width, info.Height) : ((int, int)?)null);

    /// <summary>
    /// Decodes the image at <paramref name="path"/> and hands it to <paramref name="use"/> (within the same limits);
    /// null when it is not an image that can be read. One of more than <paramref name="maxPixels"/> is refused from
    /// its header, before its pixels are decoded.
    /// </summary>
    public static T? Decode<T>(string path, ImageOrigin origin, long maxPixels, Func<Image<Rgba32>, T> use, TimeSpan? timeLimit = null, long workingBytes = MaxWorkingBytes)
        where T : class
    {
        if (Dimensions(path, origin, timeLimit) is not { } size) { return null; }
        var pixels = (long)size.Width * size.Height;
        if (pixels > maxPixels)
        {
            throw Bomb(origin, $"'{path}' is {size.Width}x{size.Height} pixels; at most {maxPixels} pixels are decoded.");
        }
        return Read(path, origin, pixels * 4, workingBytes, timeLimit, (formats, stream) =>
        {
            using var image = Image.Load<Rgba32>(formats, stream);
            return use(image);
        });
    }

    private static T? Read<T>(string path, ImageOrigin origin, long pixelBytes, long workingBytes, TimeSpan? timeLimit, Func<Configuration, Stream, T?> read)
    {
        var length = RegularFile(path, origin).Length;
        if (length > MaxFileBytes)
        {
            throw Refused(origin, $"'{path}' has {length} bytes; images of at most {ImageFiles.DescribeLimit(MaxFileBytes)} are read.");
        }
        var budget = new ImageMemoryBudget(Formats.MemoryAllocator, pixelBytes + workingBytes);
        var formats = Formats.Clone();
        formats.MemoryAllocator = budget;
        var limit = timeLimit ?? MaxTime;
        TimedReadStream? timed = null;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (!file.CanSeek) { throw Refused(origin, $"'{path}' is not a regular file (a pipe or a device); images are read from regular files only."); }
            timed = new TimedReadStream(file, limit);
            return read(formats, timed);
        }
        catch (Exception e) when (budget.Exceeded && e is not GptImageException)
        {
            throw Bomb(origin, $"'{path}' needs more than {MaxWorkingBytes / 1048576} MB beyond its pixels to read (a decompression bomb?); it was not read.", e);
        }
        catch (Exception e) when (timed is { Expired: true } && e is not GptImageException)
        {
            throw Bomb(origin, $"'{path}' took longer than {limit.TotalSeconds:0.#} s to read (a decompression bomb?); it was not read.", e);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidMemoryOperationException)
        {
            // Not a PNG, JPEG or WebP, or a broken one (InvalidImageContentException and UnknownImageFormatException are ImageFormatExceptions).
            return default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GptImageException(GptImageErrorKind.FileNotReadable, $"The image file '{path}' cannot be read: {e.Message}", innerException: e);
        }
    }

    /// <summary>An image past the reader's limits: for a user's file the file is a wrong argument (InvalidParameter), for a service's output an invalid answer.</summary>
    private static GptImageException Bomb(ImageOrigin origin, string message, Exception? inner = null) =>
        new(origin == ImageOrigin.ServiceOutput ? GptImageErrorKind.InvalidResponse : GptImageErrorKind.InvalidParameter, message, innerException: inner)
        {
            ParameterName = origin == ImageOrigin.ServiceOutput ? null : "Path",
        };

    /// <summary>What is not a regular image file: InvalidFile for a user's file, as for any input that is not an image.</summary>
    private static GptImageException Refused(ImageOrigin origin, string message, Exception? inner = null) =>
        new(origin == ImageOrigin.ServiceOutput ? GptImageErrorKind.InvalidResponse : GptImageErrorKind.InvalidFile, message, innerException: inner);
}
