using GptImage.Files;

namespace GptImage.Tests.Client;

/// <summary>The atomic write every saved image goes through: a hidden temporary file, verified, then renamed.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private static readonly byte[] Image = TestImages.Png(40, 30);
    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] Names() => Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(100000)]
    public void The_first_and_last_twelve_bytes_are_kept_whatever_the_chunks(int chunk)
    {
        using var inner = new MemoryStream();
        var stream = new HeadRecordingStream(inner);
        for (var at = 0; at < Image.Length; at += chunk)
        {
            stream.Write(Image, at, Math.Min(chunk, Image.Length - at));
        }
        Assert.Equal(Image, inner.ToArray());
        Assert.Equal(Image.Length, stream.Written);
        Assert.Equal(Image.AsSpan(0, 12).ToArray(), stream.Head.ToArray());
        Assert.Equal(Image.AsSpan(Image.Length - 12).ToArray(), stream.Tail.ToArray());
    }

    [Fact]
    public void Fewer_than_twelve_bytes_are_the_whole_head_and_tail()
    {
        var stream = new HeadRecordingStream(new MemoryStream());
        Assert.Empty(stream.Head.ToArray());
        Assert.Empty(stream.Tail.ToArray());
        stream.Write([1, 2, 3], 0, 3);
        stream.Write([4, 5], 0, 2);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, stream.Head.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, stream.Tail.ToArray());
        Assert.Equal(5, stream.Written);
    }

    [Fact]
    public async Task Every_write_path_records_what_it_passes_on()
    {
        using var inner = new MemoryStream();
        var stream = new HeadRecordingStream(inner);
        // The array overload is the one .NET Framework's copy routines call.
#pragma warning disable CA1835
        await stream.WriteAsync(Image, 0, 7, CancellationToken.None);
#pragma warning restore CA1835
        await stream.WriteAsync(Image.AsMemory(7, Image.Length - 20), CancellationToken.None);
        stream.Write(Image.AsSpan(Image.Length - 13));
        Assert.Equal(Image, inner.ToArray());
        Assert.Equal(Image.AsSpan(0, 12).ToArray(), stream.Head.ToArray());
        Assert.Equal(Image.AsSpan(Image.Length - 12).ToArray(), stream.Tail.ToArray());
        Assert.Equal(Image.Length, stream.Written);
        Assert.Equal(Image.Length, stream.Length);
        Assert.Equal(Image.Length, stream.Position);
    }

    [Fact]
    public void The_recording_stream_only_writes()
    {
        var stream = new HeadRecordingStream(new MemoryStream());
        Assert.True(stream.CanWrite);
        Assert.False(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[4], 0, 4));
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
    }

    [Fact]
    public void A_complete_image_appears_under_its_name_with_the_extension_of_its_format_and_no_temporary_file()
    {
        // The folder is made when missing.
        var folder = Path.Combine(_folder, "new");
        var target = Path.Combine(folder, "cat");
        FileInfo saved;
        using (var file = AtomicFile.Create(folder))
        {
            Assert.StartsWith(".gptimage-", Path.GetFileName(file.TempPath), StringComparison.Ordinal);
            Assert.EndsWith(".tmp", file.TempPath, StringComparison.Ordinal);
            file.Stream.Write(Image, 0, Image.Length);
            Assert.Equal(Image.Length, new FileInfo(file.TempPath).Length);
            saved = file.Commit(format => target + "." + format, overwrite: false, "p1");
        }
        Assert.Equal(target + ".Png", saved.FullName);
        Assert.Equal(Image, File.ReadAllBytes(saved.FullName));
        Assert.Equal(["cat.Png"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_cut_short_image_is_a_transient_error_and_leaves_nothing()
    {
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write(Image, 0, Image.Length - 1);
            var e = Assert.Throws<InvalidDataException>(() => file.Commit(_ => Path.Combine(_folder, "x.png"), overwrite: false, "p1"));
            Assert.Contains("p1", e.Message, StringComparison.Ordinal);
            Assert.Contains($"{Image.Length - 1} bytes", e.Message, StringComparison.Ordinal);
        }
        Assert.Empty(Names());
    }

    [Fact]
    public void Content_that_is_no_image_is_refused_and_leaves_nothing()
    {
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write("<html>not an image</html>"u8);
            var e = Assert.Throws<GptImageException>(() => file.Commit(_ => Path.Combine(_folder, "x.png"), overwrite: false, "p1"));
            Assert.Equal(GptImageErrorKind.DownloadFailed, e.Kind);
            Assert.Equal("p1", e.PredictionId);
            Assert.Equal("The output is not a PNG, JPEG or WebP image.", e.Message);
        }
        Assert.Empty(Names());
    }

    [Fact]
    public void An_existing_file_is_kept_unless_overwriting_is_asked_for()
    {
        var target = Path.Combine(_folder, "x.png");
        File.WriteAllText(target, "mine");
        var e = Assert.Throws<GptImageException>(() => AtomicFile.EnsureFree(target, overwrite: false));
        Assert.Equal(GptImageErrorKind.FileExists, e.Kind);
        Assert.Equal($"'{target}' already exists. Use -Force to overwrite it, or another -OutputDirectory or template.", e.Message);
        AtomicFile.EnsureFree(target, overwrite: true);
        AtomicFile.EnsureFree(Path.Combine(_folder, "free.png"), overwrite: false);
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write(Image, 0, Image.Length);
            var taken = Assert.Throws<GptImageException>(() => file.Commit(_ => target, overwrite: false, "p1"));
            Assert.Equal(GptImageErrorKind.FileExists, taken.Kind);
            Assert.Equal("p1", taken.PredictionId);
            Assert.Equal($"'{target}' already exists. Use -Force to overwrite it.", taken.Message);
        }
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.Equal(["x.png"], Names());
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write(Image, 0, Image.Length);
            Assert.Equal(target, file.Commit(_ => target, overwrite: true, "p1").FullName);
        }
        Assert.Equal(Image, File.ReadAllBytes(target));
        Assert.Equal(["x.png"], Names());
    }

    [Fact]
    public void Disposing_an_uncommitted_file_deletes_it_and_a_second_dispose_is_harmless()
    {
        var file = AtomicFile.Create(_folder);
        file.Stream.Write(Image, 0, 100);
        Assert.True(File.Exists(file.TempPath));
        file.Dispose();
        Assert.False(File.Exists(file.TempPath));
        file.Dispose();
        Assert.Empty(Names());
    }

    [Fact]
    public void A_move_that_fails_for_another_reason_than_an_existing_file_is_not_called_one()
    {
        var folder = Path.Combine(_folder, "in-the-way");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "x");
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write(Image, 0, Image.Length);
            var e = Record.Exception(() => file.Commit(_ => folder, overwrite: true, "p1"));
            Assert.False(e is GptImageException { Kind: GptImageErrorKind.FileExists }, e?.ToString());
            Assert.True(e is IOException or UnauthorizedAccessException, e?.ToString());
        }
        Assert.Equal(["keep.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Empty(Names());
    }
}
