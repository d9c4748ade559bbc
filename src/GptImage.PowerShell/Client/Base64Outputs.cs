using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Client;

/// <summary>
/// The base64 images of one answer, decoded as the answer streams in (<see cref="Base64OutputReader"/>) into
/// temporary files of one folder, then verified and moved to their names by <see cref="Commit"/>. Disposing
/// removes every file not committed, so a broken answer leaves nothing behind.
/// </summary>
internal sealed class Base64Outputs : IDisposable
{
    private readonly string? _directory;
    private readonly bool _isPrivate;
    private readonly List<AtomicFile> _files = new();

    /// <param name="directory">The folder the images are decoded into; null to decode and discard them.</param>
    /// <param name="isPrivate">Whether the folder is a <see cref="PrivateFolder"/>, whose files only the user can read.</param>
    public Base64Outputs(string? directory, bool isPrivate = false)
    {
        _directory = directory;
        _isPrivate = isPrivate;
    }

    /// <summary>How many base64 outputs the answer held.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Reads a whole answer and returns its JSON with each output left empty. <paramref name="valueKey"/> is null for
    /// WaveSpeed's <c>outputs</c> array, or the key whose values are the images (the Images API's <c>b64_json</c>).
    /// </summary>
    public async Task<byte[]> ReadAsync(Stream answer, string? valueKey, CancellationToken cancellationToken)
    {
        using var reader = new Base64OutputReader(_ => Open(), valueKey);
        var json = await reader.ReadAsync(answer, cancellationToken).ConfigureAwait(false);
        Count = reader.OutputCount;
        return json;
    }

    private Stream Open()
    {
        if (_directory is null) { return Stream.Null; }
        var file = AtomicFile.Create(_directory, _isPrivate);
        _files.Add(file);
        return file.Stream;
    }

    /// <summary>Verifies each decoded image and moves it to <paramref name="targetFor"/>(its index, its format).</summary>
    public IReadOnlyList<FileInfo> Commit(Func<int, ImageFormat, string> targetFor, bool overwrite, string? predictionId)
    {
        var saved = new List<FileInfo>();
        for (var i = 0; i < _files.Count; i++)
        {
            var index = i;
            saved.Add(_files[i].Commit(format => targetFor(index, format), overwrite, predictionId));
        }
        return saved;
    }

    public void Dispose()
    {
        foreach (var file in _files) { file.Dispose(); }
    }
}
