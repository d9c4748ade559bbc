using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using GptImage.Files;

namespace GptImage.Journal;

/// <summary>
/// The journal of paid tasks not yet saved, in GptImage's per-user <see cref="PrivateFolder"/>
/// (<c>journal/tasks.jsonl</c>): a task is appended as soon as the service accepts it and leaves once its outputs
/// are saved or it failed, so Ctrl+C, a crash or a reboot loses nothing paid for. Each change is one line appended
/// with one write and a flush under a cross-process <see cref="JournalLock"/>; a torn last line is skipped on read;
/// removals are compacted away by an atomic rewrite (<see cref="AtomicFile"/>) once they outnumber what is live.
/// Nothing secret is written: the prompt only as its digest, never a key.
/// </summary>
internal sealed class TaskJournal
{
    private const string FileName = "tasks.jsonl";
    private const int CompactAbove = 64;
    private readonly bool _private;

    /// <summary>A journal in <paramref name="folder"/> (tests); <paramref name="isPrivate"/>: made 0700/0600 as the user's.</summary>
    public TaskJournal(string folder, bool isPrivate = false)
    {
        Folder = folder;
        _private = isPrivate;
    }

    /// <summary>The user's journal, in GptImage's private folder.</summary>
    public static TaskJournal User => new(PrivateFolder.PathOf("journal"), isPrivate: true);

    /// <summary>How long a task's results are kept by its provider: WaveSpeed 7 days; a synchronous provider's outputs a day in the private folder.</summary>
    public static TimeSpan Retention(string provider) =>
        string.Equals(provider, "WaveSpeed", StringComparison.Ordinal) ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The journal file.</summary>
    public string FilePath => Path.Combine(Folder, FileName);

    /// <summary>How long a call waits for another session's lock.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Appends <paramref name="entry"/> (returns once it is flushed to the disk).</summary>
    public void Add(JournalEntry entry) => Append(JournalLines.Entry(entry));

    /// <summary>Appends the removal of task <paramref name="id"/>, if it is in the journal.</summary>
    public void Remove(string id)
    {
        if (!File.Exists(FilePath)) { return; }
        using var held = Lock();
        var live = ReadUnlocked(out var lines);
        if (!live.Any(e => e.Id == id)) { return; }
        if (lines - live.Count + 1 > CompactAbove) { Rewrite(live.Where(e => e.Id != id)); }
        else { AppendUnlocked(JournalLines.Removal(id)); }
    }

    /// <summary>The tasks in the journal, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Read()
    {
        if (!File.Exists(FilePath)) { return Array.Empty<JournalEntry>(); }
        using var held = Lock();
        return ReadUnlocked(out _);
    }

    /// <summary>
    /// The tasks in the journal; those older than their provider keeps results (see <see cref="Retention"/>) are
    /// removed, and returned in <paramref name="expired"/> so they are reported once.
    /// </summary>
    public IReadOnlyList<JournalEntry> Pending(DateTimeOffset now, out IReadOnlyList<JournalEntry> expired)
    {
        expired = Array.Empty<JournalEntry>();
        if (!File.Exists(FilePath)) { return Array.Empty<JournalEntry>(); }
        using var held = Lock();
        var live = ReadUnlocked(out _);
        var old = live.Where(e => now - e.Time > Retention(e.Provider)).ToList();
        if (old.Count == 0) { return live; }
        expired = old;
        var kept = live.Except(old).ToList();
        Rewrite(kept);
        return kept;
    }

    /// <summary>Empties the journal.</summary>
    public void Clear()
    {
        if (!File.Exists(FilePath)) { return; }
        using var held = Lock();
        Rewrite(Array.Empty<JournalEntry>());
    }

    private JournalLock Lock()
    {
        if (_private) { PrivateFolder.Ensure("journal"); }
        else { Directory.CreateDirectory(Folder); }
        return JournalLock.Take(Path.Combine(Folder, "tasks.lock"), LockTimeout);
    }

    private void Append(byte[] line)
    {
        using var held = Lock();
        AppendUnlocked(line);
    }

    private void AppendUnlocked(byte[] line)
    {
        if (_private && !File.Exists(FilePath))
        {
            // Created 0600 before anything is in it.
            using (PrivateFolder.CreateFile(FilePath)) { }
        }
        using var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        // A line a crash tore is ended first, so it cannot swallow this one.
        var torn = file.Length > 0 && LastByte() != (byte)'\n';
        var bytes = torn ? new[] { (byte)'\n' }.Concat(line).ToArray() : line;
        file.Write(bytes, 0, bytes.Length);
        file.Flush(flushToDisk: true);
    }

    private byte LastByte()
    {
        using var read = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return (byte)read.ReadByte();
    }

    private List<JournalEntry> ReadUnlocked(out int lines)
    {
        string text;
        using (var read = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(read, new UTF8Encoding(false)))
        {
            text = reader.ReadToEnd();
        }
        // A last line a crash cut short does not parse (an entry ends with its closing brace) and is skipped.
        return JournalLines.Fold(text, out lines);
    }

    private void Rewrite(IEnumerable<JournalEntry> entries)
    {
        using var file = AtomicFile.Create(Folder, _private);
        foreach (var line in entries.Select(JournalLines.Entry)) { file.Stream.Write(line, 0, line.Length); }
        file.CommitAs(FilePath, overwrite: true);
    }
}
