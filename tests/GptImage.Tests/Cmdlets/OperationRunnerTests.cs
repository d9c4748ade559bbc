using System.Diagnostics;
using GptImage.Operations;

namespace GptImage.Tests.Cmdlets;

public sealed class OperationRunnerTests
{
    [Fact]
    public void Drain_ticks_on_time_even_while_work_keeps_writing()
    {
        var sink = new RecordingSink { PipelineThread = Environment.CurrentManagedThreadId };
        using var runner = new OperationRunner(sink);
        var ticksWhileProducing = 0;
        var written = 0;
        // Work that writes without pause until the progress bar has moved three times while it was writing (or a
        // deadline passes): there is never a quiet tick, yet the bar must move. Counted by events, not by time.
        runner.Start(ct => Task.Run(() =>
        {
            var deadline = Stopwatch.StartNew();
            while (Volatile.Read(ref ticksWhileProducing) < 3 && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                runner.Post(s => s.WriteVerbose("busy"));
                written++;
                Thread.SpinWait(200);
            }
        }, ct), target: null);
        runner.Drain(TimeSpan.FromMilliseconds(50), _ => Interlocked.Increment(ref ticksWhileProducing));
        Assert.Equal(written, sink.Verbose.Count);
        Assert.True(ticksWhileProducing >= 3, $"{ticksWhileProducing} ticks while writing");
    }

    [Fact]
    public void Stop_returns_only_once_cancelled_work_has_removed_its_temporary_files()
    {
        var sink = new RecordingSink { PipelineThread = Environment.CurrentManagedThreadId };
        var folder = Directory.CreateTempSubdirectory("gptimage-tests-").FullName;
        try
        {
            using var runner = new OperationRunner(sink);
            using var writing = new ManualResetEventSlim();
            Task? work = null;
            runner.Start(ct => work = WriteThenWaitAsync(ct), target: null);
            async Task WriteThenWaitAsync(CancellationToken ct)
            {
                var temp = Path.Combine(folder, ".gptimage-partial.tmp");
                await File.WriteAllTextAsync(temp, "half an image", CancellationToken.None);
                writing.Set();
                try { await Task.Delay(Timeout.Infinite, ct); }
                finally
                {
                    // Cleaning up takes a moment, as closing and deleting a file on a busy disk does.
                    await Task.Delay(200, CancellationToken.None);
                    File.Delete(temp);
                }
            }
            Assert.True(writing.Wait(TimeSpan.FromSeconds(10)));
            runner.Stop();
            Assert.Empty(Directory.GetFiles(folder));
            Assert.True(work!.IsCompleted, "the work had ended when Stop returned");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
