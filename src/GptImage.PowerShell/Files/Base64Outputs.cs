using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http;
using GptImage.Images;

namespace GptImage.Files;

/// <summary>
/// The base64 images of one answer, decoded as the answer streams in (<see cref="Base64OutputReader"/>) into
/// temporary files of one folder, then verified and moved to their names by <see cref="Commit"/>. Disposing
/// removes every file not committed, so a broken answer leaves nothing behind.
/// </summary>
internal sealed class Base64Outputs : IDisposable
{
    private readonly string? _directory;
    private readonly long _maxImageBytes;
    private readonly bool _isPrivate;
    private readonly List<AtomicFile> _files = new();
    private IReadOnlyList<int> _oversized = Array.Empty<int>();

    /// <param name="directory">The folder the images are decoded into; null to decode and discard them.</param>
    /// <param name="maxImageBytes">The image cap (<see cref="TransportOptions.MaxDownloadBytes"/>, the one downloads have).</param>
    /// <param name="isPrivate">Whether the folder is a <see cref="PrivateFolder"/>, whose files only the user can read.</param>
    public Base64Outputs(string? directory, long maxImageBytes, bool isPrivate = false)
    {
        _directory = directory;
        _maxImageBytes = maxImageBytes;
        _isPrivate = isPrivate;
    }

    /// <summary>How many base64 outputs the answer held (those beyond <see cref="TaskOutputs.MaxPerTask"/> included, though not kept).</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Reads a whole answer and returns its JSON with each output left empty. <paramref name="valueKey"/> is null for
    /// WaveSpeed's <c>outputs</c> array, or the key whose values are the images (the Images API's <c>b64_json</c>).
    /// </summary>
    public async Task<byte[]> ReadAsync(Stream answer, string? valueKey, CancellationToken cancellationToken)
    {
        using var reader = new Base64OutputReader(Open, _maxImageBytes, valueKey);
        var json = await reader.ReadAsync(answer, cancellationToken).ConfigureAwait(false);
        Count = reader.OutputCount;
        _oversized = reader.Oversized;
        return json;
    }

    /// <summary>The stream output <paramref name="index"/> is decoded into: a temporary file, or nothing beyond the outputs a task is taken for.</summary>
    private Stream Open(int index)
    {
        if (_directory is null || !TaskOutputs.Keeps(index)) { return Stream.Null; }
        var file = AtomicFile.Create(_directory, _isPrivate);
        _files.Add(file);
        return file.Stream;
    }

    /// <summary>
    /// Verifies each decoded image and moves it to <paramref name="targetFor"/>(its index, its format). An output over
    /// the image cap is DownloadFailed, as a download of it would be, and nothing is saved.
    /// </summary>
    public IReadOnlyList<FileInfo> Commit(Func<int, ImageFormat, string> targetFor, bool overwrite, string? predictionId)
    {
        if (_oversized.Count > 0)
        {
            throw new GptImageException(GptImageErrorKind.DownloadFailed,
                $"Output {_oversized[0]} of {predictionId} decodes to more than the {_maxImageBytes}-byte image cap; it was not saved.", predictionId);
        }
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
