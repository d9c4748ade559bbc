using System;
using System.IO;

namespace GptImage.Client;

/// <summary>
/// A file written under a temporary name in its target folder and moved into place only once complete
/// and verified; disposing an uncommitted one deletes it, so no half-written file is ever left.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private AtomicFile(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        TempPath = Path.Combine(directory, ".gptimage-" + Guid.NewGuid().ToString("N") + ".tmp");
        Stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
    }

    public string TempPath { get; }

    public FileStream Stream { get; }

    public static AtomicFile Create(string directory) => new(directory);

    /// <summary>Checks that no file is in the way (before spending a download on it).</summary>
    public static void EnsureFree(string path, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            throw new GptImageException(GptImageErrorKind.FileExists,
                $"'{path}' already exists. Use -Force to overwrite it, or another -OutputDirectory or template.");
        }
    }

    /// <summary>Verifies the image signature and moves the file into place.</summary>
    public FileInfo Commit(Func<ImageFormat, string> targetFor, bool overwrite, string? predictionId)
    {
        Stream.Flush(flushToDisk: true);
        Stream.Position = 0;
        var head = new byte[12];
        var read = 0;
        int n;
        while (read < head.Length && (n = Stream.Read(head, read, head.Length - read)) > 0) { read += n; }
        Stream.Dispose();
        var format = ImageFiles.Detect(head.AsSpan(0, read));
        if (format == ImageFormat.Unknown)
        {
            throw new GptImageException(GptImageErrorKind.DownloadFailed, "The output is not a PNG, JPEG or WebP image.", predictionId);
        }
        var target = targetFor(format);
        EnsureFree(target, overwrite);
        try
        {
#if NETFRAMEWORK
            if (overwrite && File.Exists(target)) { File.Replace(TempPath, target, null); }
            else { File.Move(TempPath, target); }
#else
            File.Move(TempPath, target, overwrite);
#endif
        }
        catch (IOException e) when (!overwrite && File.Exists(target))
        {
            throw new GptImageException(GptImageErrorKind.FileExists, $"'{target}' already exists. Use -Force to overwrite it.", predictionId, innerException: e);
        }
        return new FileInfo(target);
    }

    public void Dispose()
    {
        Stream.Dispose();
        try
        {
            if (File.Exists(TempPath)) { File.Delete(TempPath); }
        }
        catch (IOException)
        {
            // Best effort: the file is hidden-named and the next run's temp files use new names.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
