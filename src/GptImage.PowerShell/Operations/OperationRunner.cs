using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Operations;

/// <summary>
/// Runs a cmdlet's asynchronous work and hands everything it writes back to the pipeline thread.
/// Work started with <see cref="Start"/> runs on the thread pool; it posts to the sink through
/// <see cref="Post"/>; the cmdlet calls <see cref="Pump"/> (ProcessRecord) and <see cref="Drain"/>
/// (EndProcessing) on the pipeline thread, the only thread that may call Write*. <see cref="Stop"/>
/// (StopProcessing) cancels everything.
/// </summary>
internal sealed class OperationRunner : IDisposable
{
    private readonly BlockingCollection<Action<ICmdletSink>> _queue = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ICmdletSink _sink;
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private int _running;

    /// <summary>How long <see cref="Stop"/> waits for cancelled work to clean up.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>Creates a runner writing to <paramref name="sink"/>.</summary>
    public OperationRunner(ICmdletSink sink) => _sink = sink;

    /// <summary>What <see cref="Stop"/> leaves behind, said once the work has ended (the cmdlet shows it on its host), or what gives null.</summary>
    public Func<string?>? StoppedWarning { get; set; }

    /// <summary>The sink, for calls that must happen now on the pipeline thread (ShouldProcess).</summary>
    public ICmdletSink Sink => _sink;

    /// <summary>Starts background work. What it throws becomes a non-terminating error about <paramref name="target"/>.</summary>
    public void Start(Func<CancellationToken, Task> work, object? target)
    {
        lock (_idle)
        {
            _running++;
            _idle.Reset();
        }
        var token = _cancel.Token;
        Task.Run(async () =>
        {
            try
            {
                await work(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped: PowerShell is already unwinding the pipeline.
            }
            catch (Exception e)
            {
                // A GptImageException keeps its kind; anything else is reported as GptImage.UnexpectedError.
                Post(sink => sink.WriteError(ErrorInfo.Of(e, target)));
            }
            finally
            {
                bool idle;
                lock (_idle)
                {
                    idle = --_running == 0;
                    if (idle) { _idle.Set(); }
                }
                if (idle) { Post(null); }
            }
        });
    }

    /// <summary>Queues a write for the pipeline thread (callable from any thread).</summary>
    public void Post(Action<ICmdletSink>? write)
    {
        try
        {
            _queue.Add(write ?? (_ => { }));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // The runner was disposed: the cmdlet has ended and nothing more can be written.
        }
    }

    /// <summary>Writes what is queued, without waiting for running work.</summary>
    public void Pump()
    {
        // Once stopped, PowerShell refuses what the cancelled work posts; only the stop warning is written (Drain).
        while (!_cancel.IsCancellationRequested && _queue.TryTake(out var write)) { write(_sink); }
    }

    /// <summary>
    /// Writes everything until all started work has ended, and calls <paramref name="tick"/> on the pipeline
    /// thread every <paramref name="interval"/> meanwhile, however much else is being written.
    /// </summary>
    public void Drain(TimeSpan interval, Action<ICmdletSink> tick)
    {
        var sinceTick = Stopwatch.StartNew();
        while (true)
        {
            if (_cancel.IsCancellationRequested) { return; }
            Pump();
            if (Volatile.Read(ref _running) == 0)
            {
                Pump();
                return;
            }
            var remaining = interval - sinceTick.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                tick(_sink);
                sinceTick.Restart();
                continue;
            }
            try
            {
                if (_queue.TryTake(out var write, (int)Math.Ceiling(remaining.TotalMilliseconds), _cancel.Token)) { write(_sink); }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Cancels all work (Ctrl+C) and returns once it has ended, so its temporary files are gone by then
    /// (cancelled work ends within milliseconds; <see cref="StopGrace"/> bounds the wait). Returns the
    /// <see cref="StoppedWarning"/>, or null.
    /// </summary>
    public string? Stop()
    {
        _cancel.Cancel();
        _idle.Wait(StopGrace);
        return StoppedWarning?.Invoke();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cancel.Cancel();
        _queue.Dispose();
        _cancel.Dispose();
        _idle.Dispose();
    }
}
