using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using GptImage.Files;
using GptImage.Journal;

namespace GptImage.Operations;

/// <summary>
/// What one call writes to the <see cref="TaskJournal"/>: each task the service accepted, before the call moves on,
/// and its removal once its outputs are saved or it failed; and, when the call is stopped (Ctrl+C), the warning that
/// says how many of its paid tasks are still running or unsaved and the one command that collects them.
/// </summary>
internal sealed class PaidTasks
{
    private readonly Func<TaskJournal> _journal;
    private readonly ConcurrentDictionary<string, byte> _open = new(StringComparer.Ordinal);

    /// <summary>Tracks a call's tasks in <paramref name="journal"/> (null: the user's).</summary>
    public PaidTasks(Func<TaskJournal>? journal = null) => _journal = journal ?? (() => TaskJournal.User);

    /// <summary>Where the call saves, for the command the stop warning gives.</summary>
    public string? Destination { get; set; }

    /// <summary>How many of the call's tasks are in the journal still.</summary>
    public int Open => _open.Count;

    /// <summary>
    /// Journals a task the service accepted (its prompt as a digest, where its outputs go, for a synchronous provider
    /// the outputs it keeps); the warning to write when the journal cannot be written, else null.
    /// </summary>
    public string? Submitted(Prediction prediction, string? prompt, SaveOptions? save)
    {
        var kept = prediction.Outputs.Select(o => KeptOutputs.Reference(prediction.Id, o.OriginalString, KeptOutputs.Folder)?.AbsoluteUri).OfType<string>().ToArray();
        return Guarded(prediction.Id, () =>
        {
            _journal().Add(new JournalEntry
            {
                Id = prediction.Id,
                Provider = prediction.Provider,
                Model = prediction.Model,
                PromptSha256 = JournalLines.Digest(prompt ?? prediction.Prompt),
                Destination = save?.OutFile ?? save?.Directory,
                Time = prediction.CreatedAt ?? DateTimeOffset.UtcNow,
                Outputs = kept,
            });
            _open[prediction.Id] = 0;
        });
    }

    /// <summary>Removes a task whose outputs are saved or that failed; the warning when that cannot be written, else null.</summary>
    public string? Finished(Prediction prediction)
    {
        var failed = prediction.IsFinal && prediction.Status != PredictionStatus.Completed;
        if (string.IsNullOrEmpty(prediction.Id) || (prediction.Files.Count == 0 && !failed)) { return null; }
        return Guarded(prediction.Id, () =>
        {
            _journal().Remove(prediction.Id);
            _open.TryRemove(prediction.Id, out _);
        });
    }

    /// <summary>The warning of a stopped call with tasks still open, or null.</summary>
    public string? StopWarning() => Open == 0 ? null
        : $"Stopped: {Open} paid task(s) of this call are still running or unsaved. They are kept in GptImage's journal of paid tasks; " +
          $"collect them with: Get-GptImagePrediction -Pending | Save-GptImage -OutputDirectory {Quoted(Destination)}";

    private static string Quoted(string? folder) => folder is null ? "<folder>" : "'" + folder.Replace("'", "''") + "'";

    private static string? Guarded(string id, Action write)
    {
        try
        {
            write();
            return null;
        }
        catch (Exception e) when (e is GptImageException or IOException or UnauthorizedAccessException)
        {
            return $"Prediction {id}: the journal of paid tasks could not be updated ({e.Message}).";
        }
    }
}
