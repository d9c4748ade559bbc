using System.IO;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Images;

namespace GptImage.Files;

/// <summary>A partial image written beside the final one: which prediction, which preview of how many, and where.</summary>
internal sealed record PartialImageSaved(string PredictionId, int Index, int Requested, string Path);

/// <summary>
/// Where the partial images of a streamed task are written, and how: beside the final image, named
/// <c>&lt;final name without extension&gt;.partial-&lt;n&gt;&lt;extension&gt;</c>, where n is the service's 0-based
/// partial_image_index (e.g. <c>cat.png</c> gets <c>cat.partial-0.png</c> and <c>cat.partial-1.png</c>). Each is written
/// under a temporary name, verified and moved into place (<see cref="AtomicFile"/>); a preview of an earlier run under
/// the same name is replaced (they are previews, not results).
/// </summary>
internal static class PartialImageFiles
{
    /// <summary>The name of partial image <paramref name="index"/> of <paramref name="prediction"/> in <paramref name="format"/>.</summary>
    public static string PathFor(SaveOptions save, Prediction prediction, int index, ImageFormat format)
    {
        var final = save.TargetPath(prediction, 0, format);
        var folder = Path.GetDirectoryName(final) ?? ".";
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(final) + ".partial-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + ImageFiles.Extension(format));
    }

    /// <summary>Copies a decoded, verified preview (<paramref name="decoded"/>, then deleted) to <paramref name="target"/> atomically.</summary>
    public static async Task<FileInfo> PublishAsync(FileInfo decoded, string target, string predictionId, CancellationToken cancellationToken)
    {
        try
        {
            using var file = AtomicFile.Create(Path.GetDirectoryName(Path.GetFullPath(target)) ?? ".");
            using (var source = new FileStream(decoded.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            {
                await source.CopyToAsync(file.Stream, 81920, cancellationToken).ConfigureAwait(false);
            }
            return file.Commit(_ => target, overwrite: true, predictionId);
        }
        finally
        {
            decoded.Delete();
        }
    }
}
