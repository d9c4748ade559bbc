using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace GptImage.Emulator;

/// <summary>
/// The outputs of a task in the format it asked for, encoded for real: PNG, JPEG or WebP, with
/// <c>output_compression</c> as the JPEG and lossy WebP quality, and an alpha channel when the background is
/// transparent (the picture's border is clear). A plain opaque PNG is the fast, cached <see cref="Png"/> picture.
/// </summary>
internal static class Pictures
{
    private static readonly ConcurrentDictionary<(int Width, int Height, int Variant, ImageContent Content, string Format, int Compression, bool Transparent), byte[]> Cache = new();

    /// <summary>Output <paramref name="index"/> of <paramref name="task"/>, as the service would send it.</summary>
    public static byte[] Output(EmulatedTask task, int index)
    {
        var png = Png.Create(task.Width, task.Height, task.Variant + index, task.Content);
        if (task.Format == "png" && !task.Transparent) { return png; }
        return Cache.GetOrAdd((task.Width, task.Height, (task.Variant + index) & 7, task.Content, task.Format, task.Compression, task.Transparent),
            key => Encode(png, key.Format, key.Compression, key.Transparent));
    }

    private static byte[] Encode(byte[] png, string format, int compression, bool transparent)
    {
        using var image = Image.Load<Rgba32>(png);
        if (transparent) { ClearBorder(image); }
        using var output = new MemoryStream();
        switch (format)
        {
            case "jpeg":
                image.SaveAsJpeg(output, new JpegEncoder { Quality = Math.Clamp(compression, 1, 100) });
                break;
            case "webp":
                image.SaveAsWebp(output, transparent
                    ? new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }
                    : new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = Math.Clamp(compression, 1, 100) });
                break;
            default:
                image.SaveAsPng(output, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
                break;
        }
        return output.ToArray();
    }

    /// <summary>A transparent frame an eighth of the picture wide, as a cut-out subject would leave.</summary>
    private static void ClearBorder(Image<Rgba32> image)
    {
        var (bx, by) = (image.Width / 8, image.Height / 8);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    if (x < bx || x >= row.Length - bx || y < by || y >= rows.Height - by) { row[x] = new Rgba32(0, 0, 0, 0); }
                }
            }
        });
    }
}
