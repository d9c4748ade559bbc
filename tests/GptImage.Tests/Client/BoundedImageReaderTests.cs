using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using GptImage.Gallery;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Tests.Client;

/// <summary>Every image the module inspects is read within bounds: regular files only, no metadata inflated, capped memory and time.</summary>
public sealed class BoundedImageReaderTests : IDisposable
{
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int mkfifo(string path, uint mode);

    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-reader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs <paramref name="read"/> on this thread and returns what it allocated there and how long it took.</summary>
    private static (long Bytes, TimeSpan Time) Measure(Action read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        read();
        return (GC.GetAllocatedBytesForCurrentThread() - before, clock.Elapsed);
    }

    [Fact]
    public void The_dimensions_of_a_png_bomb_are_read_without_inflating_its_text_or_profile()
    {
        var bomb = Write("bomb.png", PngBombs.Png(64, 48));
        Assert.True(new FileInfo(bomb).Length < 2 * 1024 * 1024);
        (int, int)? size = null;
        var (bytes, time) = Measure(() => size = ImageFiles.Dimensions(bomb));
        Assert.Equal((64, 48), size);
        // The chunks inflate to 3 x 200 MB; reading the header must stay near the file's own size.
        Assert.True(bytes < 16L * 1024 * 1024, $"{bytes} bytes allocated");
        Assert.True(time < TimeSpan.FromSeconds(5), $"{time} taken");
    }

    [Fact]
    public void A_mask_check_on_a_png_bomb_stays_bounded()
    {
        var image = Write("image.png", TestImages.Png(64, 48));
        var mask = Write("mask.png", PngBombs.Png(32, 32));
        var request = new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(mask) }.Edit([ImageSource.FromFile(image)]);
        GptImageException? refused = null;
        var (bytes, _) = Measure(() => refused = Assert.Throws<GptImageException>(request.CheckLocalFiles));
        Assert.Equal(GptImageErrorKind.InvalidFile, refused!.Kind);
        Assert.Contains("32x32", refused.Message);
        Assert.True(bytes < 16L * 1024 * 1024, $"{bytes} bytes allocated");
    }

    [Fact]
    public void A_png_bomb_gets_its_thumbnail_without_inflating_its_text_or_profile()
    {
        var bomb = Write("bomb.png", PngBombs.Png(300, 200));
        string? thumbnail = null;
        var (bytes, time) = Measure(() => thumbnail = new Thumbnails().DataUriOf(bomb));
        Assert.StartsWith("data:image/jpeg;base64,", thumbnail);
        Assert.True(bytes < 32L * 1024 * 1024, $"{bytes} bytes allocated");
        Assert.True(time < TimeSpan.FromSeconds(5), $"{time} taken");
    }

    [Theory]
    [InlineData(false, GptImageErrorKind.InvalidParameter)]
    [InlineData(true, GptImageErrorKind.InvalidResponse)]
    public void A_decode_that_would_hold_more_than_its_memory_budget_is_refused_by_whose_file_it_is(bool serviceOutput, GptImageErrorKind kind)
    {
        var origin = serviceOutput ? ImageOrigin.ServiceOutput : ImageOrigin.UserFile;
        var path = Write("big.png", TestImages.Png(512, 512));
        var e = Assert.Throws<GptImageException>(() => BoundedImageReader.Decode(path, origin, Thumbnails.MaxPixels, _ => "decoded", workingBytes: 1024));
        Assert.Equal(kind, e.Kind);
        Assert.Contains("decompression bomb", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal("decoded", BoundedImageReader.Decode(path, origin, Thumbnails.MaxPixels, _ => "decoded"));
    }

    [Fact]
    public void A_read_past_its_time_is_refused()
    {
        var path = Write("slow.png", TestImages.Png(64, 48));
        var e = Assert.Throws<GptImageException>(() => BoundedImageReader.Dimensions(path, ImageOrigin.UserFile, TimeSpan.Zero));
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Contains("longer than", e.Message);
        Assert.Equal(5, BoundedImageReader.MaxTime.TotalSeconds);
    }

    [Fact]
    public void An_image_of_more_pixels_than_a_thumbnail_decodes_is_refused_from_its_header()
    {
        var path = Write("wide.png", TestImages.Png(300, 200));
        var e = Assert.Throws<GptImageException>(() => BoundedImageReader.Decode(path, ImageOrigin.ServiceOutput, 300 * 199, _ => "decoded"));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
        Assert.Contains("300x200", e.Message);
    }

    [Fact]
    public async Task A_fifo_gets_no_thumbnail_and_a_warning_without_ever_being_opened()
    {
        if (OperatingSystem.IsWindows()) { return; } // FIFOs in the file system are a Unix thing
        var fifo = Path.Combine(_folder, "out.png");
        Assert.Equal(0, mkfifo(fifo, Convert.ToUInt32("644", 8)));
        var warnings = new List<string>();
        // Opening a FIFO for reading blocks until a writer comes: a reader that opened it would never return.
        var make = Task.Run(() => new Thumbnails(warnings.Add).DataUriOf(fifo));
        Assert.Same(make, await Task.WhenAny(make, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Null(await make);
        Assert.Contains("regular file", Assert.Single(warnings));
        var e = Assert.Throws<GptImageException>(() => BoundedImageReader.Dimensions(fifo, ImageOrigin.UserFile));
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
    }

    [Fact]
    public void A_device_is_not_read()
    {
        if (OperatingSystem.IsWindows()) { return; }
        var e = Assert.Throws<GptImageException>(() => BoundedImageReader.Dimensions("/dev/zero", ImageOrigin.ServiceOutput));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
        Assert.Contains("regular file", e.Message);
    }

    [Fact]
    public void No_code_but_the_bounded_reader_runs_an_image_decoder()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "GptImage.sln"))) { root = Path.GetDirectoryName(root)!; }
        var source = Path.Combine(root, "src", "GptImage.PowerShell");
        var decoding = new Regex(@"\bImage\.(Load|Identify|DecodeAsync|IdentifyAsync|LoadAsync)\b|\.Decode<|new (Png|Jpeg|Webp)Decoder\b");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && Path.GetFileName(f) != "BoundedImageReader.cs")
            .Where(f => decoding.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(source, f))
            .ToList();
        Assert.Empty(offenders);
    }
}
