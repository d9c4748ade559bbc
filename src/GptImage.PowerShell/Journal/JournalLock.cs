using System;
using System.IO;
using System.Threading;

namespace GptImage.Journal;

/// <summary>
/// The journal's cross-process lock: a lock file opened with FileShare.None (a Windows share lock, an exclusive
/// flock off Windows), which sessions, runspaces and processes take in turn; retried until a deadline.
/// </summary>
internal sealed class JournalLock : IDisposable
{
    private readonly FileStream _file;

    private JournalLock(FileStream file) => _file = file;

    /// <summary>Takes the lock on <paramref name="path"/>, waiting at most <paramref name="timeout"/>.</summary>
    public static JournalLock Take(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = 5;
        while (true)
        {
            try
            {
                return new JournalLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException e) when (DateTime.UtcNow < deadline && e is not (DirectoryNotFoundException or PathTooLongException))
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 100);
            }
            catch (IOException e)
            {
                throw new GptImageException(GptImageErrorKind.DestinationNotWritable,
                    $"The journal of paid tasks is locked by another session ('{path}'), or cannot be opened: {e.Message}", innerException: e);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
