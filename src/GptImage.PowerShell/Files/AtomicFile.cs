using System;
using System.IO;
using GptImage.Images;

namespace GptImage.Files;

/// <summary>
/// A file written under a temporary name in its target folder and moved into place only once complete
/// and verified; disposing an uncommitted one deletes it, so no half-written file is ever left.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private AtomicFile(string directory, bool isPrivate)
    {
        System.IO.Directory.CreateDirectory(directory);
        TempPath = Path.Combine(directory, ".gptimage-" + Guid.NewGuid().ToString("N") + ".tmp");
        // Unbuffered: writers hand over chunks of tens of KB already.
        _file = isPrivate ? PrivateFolder.CreateFile(TempPath) : new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        Stream = new HeadRecordingStream(_file);
    }

    private readonly FileStream _file;

    public string TempPath { get; }

    /// <summary>Where the content is written; it keeps the first bytes for the signature check.</summary>
    public HeadRecordingStream Stream { get; }

    /// <summary>A new file in <paramref name="directory"/>; a private one (in a <see cref="PrivateFolder"/>) only the user can read, under its final name too.</summary>
    public static AtomicFile Create(string directory, bool isPrivate = false) => new(directory, isPrivate);

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
        // Complete in the file system before it gets its name; the rename is what makes it appear whole.
        _file.Flush();
        _file.Dispose();
        var format = ImageFiles.Detect(Stream.Head);
        if (format == ImageFormat.Unknown)
        {
            throw new GptImageException(GptImageErrorKind.DownloadFailed, "The output is not a PNG, JPEG or WebP image.", predictionId);
        }
        if (!ImageFiles.IsComplete(format, Stream.Head, Stream.Tail, Stream.Written))
        {
            // Cut short without a declared length: transient, so the transfer is tried again.
            throw new InvalidDataException($"The {ImageFiles.Name(format)} output of {predictionId} is incomplete ({Stream.Written} bytes, no end marker).");
        }
        return MoveIntoPlace(targetFor(format), overwrite, predictionId);
    }

    /// <summary>Moves a complete file that needs no image check (a gallery page) into place.</summary>
    public FileInfo CommitAs(string target, bool overwrite)
    {
        _file.Flush();
        _file.Dispose();
        return MoveIntoPlace(target, overwrite, predictionId: null);
    }

    private FileInfo MoveIntoPlace(string target, bool overwrite, string? predictionId)
    {
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
        _file.Dispose();
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
