using System;
using System.IO;
using GptImage.Images;

namespace GptImage.Files;

/// <summary>Where and how outputs are saved.</summary>
internal sealed class SaveOptions
{
    /// <summary>The folder outputs are written to (created when missing).</summary>
    public string? Directory { get; init; }
    /// <summary>One explicit file (full path), for a single output.</summary>
    public string? OutFile { get; init; }
    /// <summary>The file-name template (see <see cref="FileNameTemplate"/>).</summary>
    public string? FileNameTemplate { get; init; }
    /// <summary>Replace an existing file.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// The options of -OutputDirectory, -OutFile, -FileNameTemplate and -Force (paths already resolved); null when
    /// neither location is given. The two locations exclude each other, and the template is checked here, before
    /// any input is read.
    /// </summary>
    public static SaveOptions? FromParameters(string? directory, string? outFile, string? fileNameTemplate, bool force)
    {
        if (directory is not null && outFile is not null)
        {
            throw GptImageException.InvalidParameter("OutFile", "Give -OutputDirectory or -OutFile, not both.");
        }
        if (directory is null && outFile is null) { return null; }
        global::GptImage.Files.FileNameTemplate.Validate(fileNameTemplate);
        return new SaveOptions { Directory = directory, OutFile = outFile, FileNameTemplate = fileNameTemplate, Overwrite = force };
    }

    /// <summary>The target path of output <paramref name="index"/> once its format is known.</summary>
    internal string TargetPath(Prediction prediction, int index, ImageFormat format)
    {
        if (OutFile is not null)
        {
            if (index == 0) { return OutFile; }
            var folder = Path.GetDirectoryName(OutFile) ?? ".";
            return Path.Combine(folder, Path.GetFileNameWithoutExtension(OutFile) + "-" + index + Path.GetExtension(OutFile));
        }
        var directory = Directory ?? throw new InvalidOperationException("SaveOptions needs Directory or OutFile.");
        return Path.Combine(directory, global::GptImage.Files.FileNameTemplate.Expand(FileNameTemplate, prediction, index) + ImageFiles.Extension(format));
    }

    /// <summary>The image format <see cref="OutFile"/>'s extension names, or null (no -OutFile, or an extension of no image format).</summary>
    public ImageFormat? OutFileFormat =>
        OutFile is not null && ImageFiles.FormatNamed(Path.GetExtension(OutFile)) is var named && named != ImageFormat.Unknown ? named : null;

    /// <summary>
    /// Where a verified output of <paramref name="format"/> is saved. An -OutFile named for another format is
    /// refused rather than given a name that lies about its content.
    /// </summary>
    internal string SavePath(Prediction prediction, int index, ImageFormat format)
    {
        if (OutFileFormat is { } named && named != format)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse,
                $"The service answered a {ImageFiles.Name(format)} image, but -OutFile '{Path.GetFileName(OutFile)}' names a {ImageFiles.Name(named)} file; it was not saved under a name that lies. Save it with Save-GptImage -OutFile and a {ImageFiles.Extension(format)} name.",
                prediction.Id);
        }
        return TargetPath(prediction, index, format);
    }

    /// <summary>
    /// The name every prediction made from one input would get when names cannot tell predictions apart
    /// (an -OutFile, or a template without {id}); null when each prediction gets names of its own.
    /// </summary>
    public string? SharedName(string? sourcePath)
    {
        if (OutFile is not null) { return OutFile; }
        if (global::GptImage.Files.FileNameTemplate.Uses(FileNameTemplate, "id")) { return null; }
        var source = global::GptImage.Files.FileNameTemplate.Uses(FileNameTemplate, "source") && sourcePath is { Length: > 0 }
            ? Path.GetFileNameWithoutExtension(sourcePath)
            : string.Empty;
        return FileNameTemplate + "|" + source;
    }

    /// <summary>
    /// Refuses an <see cref="OutFile"/> whose extension names another format than <paramref name="answer"/>, the one
    /// the service will answer in; an extension that names no image format is kept.
    /// </summary>
    public void CheckOutFileFormat(ImageFormat answer)
    {
        if (OutFileFormat is not { } named || named == answer) { return; }
        throw GptImageException.InvalidParameter("OutFile",
            $"-OutFile '{Path.GetFileName(OutFile)}' names a {ImageFiles.Name(named)} file, but the answer will be {ImageFiles.Name(answer)}. Use a {ImageFiles.Extension(answer)} name, or -OutputFormat where the provider takes it (AIML API, OpenAI).");
    }

    /// <summary>
    /// Checks, before a paid task is submitted, that its outputs can be saved: an -OutFile that exists needs
    /// overwriting, the folder must be a folder (it is created when missing) and writable.
    /// </summary>
    public void CheckDestination()
    {
        if (OutFile is not null)
        {
            if (System.IO.Directory.Exists(OutFile))
            {
                throw GptImageException.InvalidParameter("OutFile", $"-OutFile '{OutFile}' is a folder; name a file, or use -OutputDirectory.");
            }
            AtomicFile.EnsureFree(OutFile, Overwrite);
        }
        else if (File.Exists(Directory))
        {
            throw GptImageException.InvalidParameter("OutputDirectory", $"-OutputDirectory '{Directory}' is a file, not a folder.");
        }
        try
        {
            // Creates the folder when missing, and proves a file can be written there.
            using (AtomicFile.Create(TargetDirectory)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GptImageException(GptImageErrorKind.DestinationNotWritable,
                $"The output folder '{TargetDirectory}' cannot be written: {e.Message}", innerException: e);
        }
    }

    internal string TargetDirectory => OutFile is not null
        ? Path.GetDirectoryName(Path.GetFullPath(OutFile)) ?? "."
        : Directory ?? throw new InvalidOperationException("SaveOptions needs Directory or OutFile.");
}
