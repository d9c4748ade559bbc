using System.Diagnostics;
using GptImage.Commands.Logic;

namespace GptImage.Tests.Cmdlets;

public sealed class OperationRunnerTests
{
    [Fact]
    public void Drain_ticks_on_time_even_while_work_keeps_writing()
    {
        var sink = new RecordingSink { PipelineThread = Environment.CurrentManagedThreadId };
        using var runner = new OperationRunner(sink);
        var producing = 0;
        var ticksWhileProducing = 0;
        var written = 0;
        // Work that writes without pause for 400 ms: there is never a quiet 50 ms, yet the progress bar must move.
        runner.Start(ct => Task.Run(() =>
        {
            Volatile.Write(ref producing, 1);
            var clock = Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 400)
            {
                runner.Post(s => s.WriteVerbose("busy"));
                written++;
                Thread.SpinWait(200);
            }
            Volatile.Write(ref producing, 0);
        }, ct), target: null);
        runner.Drain(TimeSpan.FromMilliseconds(50), _ => ticksWhileProducing += Volatile.Read(ref producing));
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
            runner.Start(async ct =>
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
            }, target: null);
            Assert.True(writing.Wait(TimeSpan.FromSeconds(10)));
            runner.Stop();
            Assert.Empty(Directory.GetFiles(folder));
            Assert.Equal(0, runner.Running);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
