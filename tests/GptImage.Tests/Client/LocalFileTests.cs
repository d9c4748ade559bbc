using System.Runtime.InteropServices;
using GptImage.Commands.Base;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Tests.Client;

/// <summary>Local inputs and destinations: every problem is found before anything is uploaded or submitted.</summary>
public sealed class LocalFileTests
{
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int mkfifo(string path, uint mode);

    [Fact]
    public async Task A_mask_of_another_size_than_the_first_image_is_refused_on_WaveSpeed_before_any_upload()
    {
        await using var h = await ClientHarness.StartAsync();
        var image = h.WriteImage("photo.png", 64, 48);
        var mask = h.WriteImage("mask.png", 32, 32);
        var request = new ImageTemplate { Prompt = "x", Mask = ImageSource.FromFile(mask) }.Edit([ImageSource.FromFile(image)]);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(request, CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
        Assert.Contains("64x48", e.Message);
        Assert.Equal(0, h.Server.Stats.Requests);
    }

    [Fact]
    public async Task A_file_another_program_holds_locked_is_not_readable_and_nothing_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();
        var held = h.WriteImage("held.png", 64, 48);
        using (File.Open(held, FileMode.Open, FileAccess.Read, FileShare.None))
        {
            var e = Assert.Throws<GptImageException>(() => ImageFiles.CheckInput(held));
            Assert.Equal(GptImageErrorKind.FileNotReadable, e.Kind);
            Assert.Equal("PermissionDenied", GptImage.Commands.Base.ErrorRecords.CategoryOf(e.Kind).ToString());
            Assert.Contains(held, e.Message);
            var submit = await Assert.ThrowsAsync<GptImageException>(async () =>
                await h.Client.SubmitAsync(new ImageTemplate { Prompt = "x" }.Edit([ImageSource.FromFile(held)]), CancellationToken.None));
            Assert.Equal(GptImageErrorKind.FileNotReadable, submit.Kind);
        }
        Assert.Equal(0, h.Server.Stats.Requests);
    }

    [Fact]
    public async Task A_fifo_is_refused_as_an_input_without_ever_being_opened()
    {
        if (OperatingSystem.IsWindows()) { return; } // FIFOs in the file system are a Unix thing
        await using var h = await ClientHarness.StartAsync();
        var fifo = Path.Combine(h.Folder, "in.png");
        Assert.Equal(0, mkfifo(fifo, Convert.ToUInt32("644", 8)));
        // Opening a FIFO for reading blocks until a writer comes: a check that opened it would never return.
        var check = Task.Run(() => ImageFiles.CheckInput(fifo));
        Assert.Same(check, await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(10))));
        var e = await Assert.ThrowsAsync<GptImageException>(() => check);
        Assert.Equal(GptImageErrorKind.InvalidFile, e.Kind);
        Assert.Contains("regular file", e.Message);
    }

    private static void InTempFolder(Action<string> test)
    {
        var folder = Directory.CreateTempSubdirectory("gptimage-tests-").FullName;
        try { test(folder); }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void An_existing_OutFile_without_overwriting_is_refused_before_the_submit() => InTempFolder(folder =>
    {
        var existing = Path.Combine(folder, "x.png");
        File.WriteAllText(existing, "keep");
        var e = Assert.Throws<GptImageException>(() => new SaveOptions { OutFile = existing }.CheckDestination());
        Assert.Equal(GptImageErrorKind.FileExists, e.Kind);
        new SaveOptions { OutFile = existing, Overwrite = true }.CheckDestination();
        Assert.Equal("keep", File.ReadAllText(existing));
        Assert.Single(Directory.GetFiles(folder));
    });

    [Fact]
    public void An_output_directory_that_is_a_file_or_cannot_be_written_is_refused_before_the_submit() => InTempFolder(folder =>
    {
        var file = Path.Combine(folder, "file.txt");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<GptImageException>(() => new SaveOptions { Directory = file }.CheckDestination());
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Equal("OutputDirectory", e.ParameterName);
        // A folder below a file can be neither created nor written.
        var below = Path.Combine(file, "out");
        var unwritable = Assert.Throws<GptImageException>(() => new SaveOptions { Directory = below }.CheckDestination());
        Assert.Equal(GptImageErrorKind.DestinationNotWritable, unwritable.Kind);
        Assert.Equal("WriteError", GptImage.Commands.Base.ErrorRecords.CategoryOf(unwritable.Kind).ToString());
        var fresh = Path.Combine(folder, "new");
        new SaveOptions { Directory = fresh }.CheckDestination();
        Assert.Empty(Directory.GetFileSystemEntries(fresh));
    });

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 0xFF, 0xD9 }, true)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 0xFF, 0xD8 }, false)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 8, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P', 0, 0, 0, 0 }, true)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 20, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P', 0, 0, 0, 0 }, false)]
    public void An_image_is_complete_only_up_to_its_end_marker_or_declared_length(byte[] bytes, bool complete)
    {
        var format = ImageFiles.Detect(bytes);
        Assert.Equal(complete, ImageFiles.IsComplete(format, bytes, bytes.AsSpan(Math.Max(0, bytes.Length - 12)), bytes.Length));
    }

    [Fact]
    public void A_png_is_complete_only_with_its_IEND_chunk()
    {
        var png = Png.Create(16, 16, 1, ImageContent.Pattern);
        Assert.True(ImageFiles.IsComplete(ImageFormat.Png, png, png.AsSpan(png.Length - 12), png.Length));
        var cut = png.AsSpan(0, png.Length / 2);
        Assert.False(ImageFiles.IsComplete(ImageFormat.Png, cut, cut[^12..], cut.Length));
    }
}
