using System;
using System.IO;
using System.Threading;

namespace GptImage.Files;

/// <summary>
/// Where a synchronous provider's base64 outputs wait until they are saved: a per-user <see cref="PrivateFolder"/>,
/// since they are the user's paid images and cannot be fetched again; pruned of what is older than a day.
/// </summary>
internal static class KeptOutputs
{
    private const string Name = "outputs";
    private static int _pruned;

    /// <summary>The folder.</summary>
    public static string Folder => PrivateFolder.PathOf(Name);

    /// <summary>Where output <paramref name="index"/> of prediction <paramref name="id"/> is kept: <c>{id}-{index}.ext</c>, as <see cref="Reference"/> reads it.</summary>
    public static string PathOf(string id, int index, Images.ImageFormat format) => Path.Combine(Folder, $"{id}-{index}{Images.ImageFiles.Extension(format)}");

    /// <summary>Makes the folder (private, or the call stops) and, once per process, prunes what earlier sessions left.</summary>
    public static void Ensure()
    {
        PrivateFolder.Ensure(Name);
        if (Interlocked.Exchange(ref _pruned, 1) == 0) { Prune(Folder, TimeSpan.FromDays(1), DateTime.UtcNow); }
    }

    /// <summary>
    /// The kept output <paramref name="value"/> names for prediction <paramref name="id"/>, or null: only a file: URI of
    /// an existing regular file of that prediction's (named <c>{id}-{index}.ext</c>) directly in <paramref name="folder"/>
    /// is one. A web URL, a path elsewhere, another prediction's file or a link is not, so a prediction read back from a
    /// file that was edited reads nothing from where the edit points.
    /// </summary>
    internal static Uri? Reference(string id, string? value, string folder)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(value)
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || !uri.IsFile || uri.IsUnc) { return null; }
        string path;
        try
        {
            path = Path.GetFullPath(uri.LocalPath);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
        var inFolder = string.Equals(Path.GetDirectoryName(path), Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
        if (!inFolder || !Path.GetFileName(path).StartsWith(id + "-", StringComparison.Ordinal)) { return null; }
        var file = new FileInfo(path);
        return file.Exists && (file.Attributes & FileAttributes.ReparsePoint) == 0 ? new Uri(path) : null;
    }

    /// <summary>
    /// Removes kept outputs last written more than <paramref name="maxAge"/> before <paramref name="now"/>:
    /// a prediction that old has been saved or given up, and nothing can fetch its images again anyway.
    /// </summary>
    internal static void Prune(string directory, TimeSpan maxAge, DateTime now)
    {
        if (!Directory.Exists(directory)) { return; }
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            try
            {
                if (now - file.LastWriteTimeUtc > maxAge) { file.Delete(); }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use or not ours to delete: left for a later prune.
            }
        }
    }
}
