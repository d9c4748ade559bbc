using System;
using System.IO;

namespace GptImage.Client;

/// <summary>Where and how outputs are saved.</summary>
public sealed class SaveOptions
{
    /// <summary>The folder outputs are written to (created when missing).</summary>
    public string? Directory { get; init; }
    /// <summary>One explicit file (full path), for a single output.</summary>
    public string? OutFile { get; init; }
    /// <summary>The file-name template (see <see cref="FileNameTemplate"/>).</summary>
    public string? FileNameTemplate { get; init; }
    /// <summary>Replace an existing file.</summary>
    public bool Overwrite { get; init; }

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
        return Path.Combine(directory, Client.FileNameTemplate.Expand(FileNameTemplate, prediction, index) + ImageFiles.Extension(format));
    }

    /// <summary>
    /// The name every prediction made from one input would get when names cannot tell predictions apart
    /// (an -OutFile, or a template without {id}); null when each prediction gets names of its own.
    /// </summary>
    public string? SharedName(string? sourcePath)
    {
        if (OutFile is not null) { return OutFile; }
        if (Client.FileNameTemplate.Uses(FileNameTemplate, "id")) { return null; }
        var source = Client.FileNameTemplate.Uses(FileNameTemplate, "source") && sourcePath is { Length: > 0 }
            ? Path.GetFileNameWithoutExtension(sourcePath)
            : string.Empty;
        return FileNameTemplate + "|" + source;
    }

    /// <summary>
    /// Refuses an <see cref="OutFile"/> whose extension names another format than <paramref name="answerFormat"/>
    /// (png, jpeg or webp), the one the service will answer in; an extension that names no image format is kept.
    /// </summary>
    public void CheckOutFileFormat(string answerFormat)
    {
        var named = ImageFiles.FormatNamed(Path.GetExtension(OutFile));
        var answer = ImageFiles.FormatNamed(answerFormat);
        if (OutFile is null || named == ImageFormat.Unknown || named == answer) { return; }
        throw GptImageException.InvalidParameter("OutFile",
            $"-OutFile '{Path.GetFileName(OutFile)}' names a {ImageFiles.Name(named)} file, but the answer will be {ImageFiles.Name(answer)}. Use a {ImageFiles.Extension(answer)} name, or -OutputFormat where the provider takes it (AIML API, OpenAI).");
    }

    internal string TargetDirectory => OutFile is not null
        ? Path.GetDirectoryName(Path.GetFullPath(OutFile)) ?? "."
        : Directory ?? throw new InvalidOperationException("SaveOptions needs Directory or OutFile.");
}
