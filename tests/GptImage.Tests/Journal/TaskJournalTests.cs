using System.Text;
using GptImage.Journal;
using GptImage.Operations;

namespace GptImage.Tests.Journal;

/// <summary>The journal of paid tasks: crash-safe appends, concurrent writers, removal on save and failure, expiry.</summary>
public sealed class TaskJournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private TaskJournal Journal() => new(_folder);

    private static JournalEntry Entry(string id, string provider = "WaveSpeed", DateTimeOffset? time = null) => new()
    {
        Id = id,
        Provider = provider,
        Model = "gpt-image-1",
        PromptSha256 = JournalLines.Digest("prompt of " + id),
        Destination = "/out",
        Time = time ?? DateTimeOffset.UtcNow,
    };

    [Fact]
    public void A_torn_last_line_is_ignored_and_every_entry_before_it_and_after_it_is_kept()
    {
        var journal = Journal();
        journal.Add(Entry("a"));
        journal.Add(Entry("b"));
        var whole = JournalLines.Entry(Entry("c"));
        // A crash in the middle of the third append: only part of its line reached the disk.
        using (var file = new FileStream(journal.FilePath, FileMode.Append)) { file.Write(whole, 0, whole.Length / 2); }
        Assert.Equal(["a", "b"], journal.Read().Select(e => e.Id));
        journal.Add(Entry("d"));
        Assert.Equal(["a", "b", "d"], journal.Read().Select(e => e.Id));
        journal.Remove("a");
        Assert.Equal(["b", "d"], journal.Read().Select(e => e.Id));
    }

    [Fact]
    public void Nothing_secret_is_written_the_prompt_only_as_its_sha256()
    {
        var journal = Journal();
        journal.Add(Entry("a") with { PromptSha256 = JournalLines.Digest("a secret prompt") });
        var text = File.ReadAllText(journal.FilePath);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("\"promptSha256\":\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("a secret prompt"))).ToLowerInvariant() + "\"", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_writers_each_with_their_own_journal_and_lock_lose_nothing()
    {
        // Each writer opens the files itself, as another process would: the lock is the file's, not an object's.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var journal = Journal();
            for (var i = 0; i < 40; i++)
            {
                journal.Add(Entry($"w{w}-{i}"));
                if (i % 4 == 3) { journal.Remove($"w{w}-{i - 1}"); }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        var ids = Journal().Read().Select(e => e.Id).ToHashSet();
        Assert.Equal(8 * 30, ids.Count);
        Assert.Contains("w7-39", ids);
        Assert.DoesNotContain("w3-2", ids);
        // Removals outnumbering the live entries were compacted away.
        Assert.True(File.ReadAllLines(Journal().FilePath).Length < 8 * 40 + 8 * 10);
    }

    [Fact]
    public void A_task_leaves_the_journal_when_its_outputs_are_saved_or_it_failed_and_not_before()
    {
        var journal = Journal();
        var paid = new PaidTasks(() => journal) { Destination = "/out" };
        foreach (var id in new[] { "saved", "failed", "running", "unsaved" })
        {
            Assert.Null(paid.Submitted(new Prediction { Id = id, Model = "gpt-image-1", Status = PredictionStatus.Processing }, "p", null));
        }
        Assert.Equal(4, paid.Open);
        paid.Finished(new Prediction { Id = "saved", Status = PredictionStatus.Completed, Files = [new FileInfo(Path.Combine(_folder, "x.png"))] });
        paid.Finished(new Prediction { Id = "failed", Status = PredictionStatus.Failed });
        paid.Finished(new Prediction { Id = "running", Status = PredictionStatus.Processing });
        paid.Finished(new Prediction { Id = "unsaved", Status = PredictionStatus.Completed });
        Assert.Equal(["running", "unsaved"], journal.Read().Select(e => e.Id));
        Assert.Equal(2, paid.Open);
        Assert.Contains("2 paid task(s)", paid.StopWarning(), StringComparison.Ordinal);
        Assert.Contains("Get-GptImagePrediction -Pending | Save-GptImage -OutputDirectory '/out'", paid.StopWarning(), StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_older_than_their_provider_keeps_results_are_returned_once_as_expired_and_removed()
    {
        var journal = Journal();
        var now = DateTimeOffset.UtcNow;
        journal.Add(Entry("old-ws", time: now.AddDays(-8)));
        journal.Add(Entry("new-ws", time: now.AddDays(-6)));
        journal.Add(Entry("old-aiml", "AimlApi", now.AddDays(-2)));
        journal.Add(Entry("new-aiml", "AimlApi", now.AddHours(-2)));
        var pending = journal.Pending(now, out var expired);
        Assert.Equal(["new-ws", "new-aiml"], pending.Select(e => e.Id));
        Assert.Equal(["old-ws", "old-aiml"], expired.Select(e => e.Id));
        Assert.Equal(["new-ws", "new-aiml"], journal.Pending(now, out var again).Select(e => e.Id));
        Assert.Empty(again);
    }

    [Fact]
    public void Clearing_empties_it_and_a_missing_journal_reads_empty()
    {
        Assert.Empty(Journal().Read());
        var journal = Journal();
        journal.Add(Entry("a"));
        journal.Clear();
        Assert.Empty(journal.Read());
    }

    [Fact]
    public void A_lock_held_elsewhere_past_the_deadline_is_an_error_naming_the_journal()
    {
        var journal = new TaskJournal(_folder) { LockTimeout = TimeSpan.FromMilliseconds(200) };
        journal.Add(Entry("a"));
        using var held = new FileStream(Path.Combine(_folder, "tasks.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var e = Assert.Throws<GptImageException>(() => journal.Add(Entry("b")));
        Assert.Contains("journal of paid tasks", e.Message, StringComparison.Ordinal);
    }
}
