using System;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Polling;

/// <summary>
/// Wakes whoever waits for a change: <see cref="Next"/> completes at the next <see cref="Notify"/>. Take the task
/// before looking at the state it guards, so a change made after the look still wakes the waiter.
/// </summary>
internal sealed class ChangeSignal
{
    private readonly object _gate = new();
    private TaskCompletionSource<bool> _next = New();

    /// <summary>Completes at the next change.</summary>
    public Task Next
    {
        get { lock (_gate) { return _next.Task; } }
    }

    /// <summary>Completes the current <see cref="Next"/> (its continuations run elsewhere) and starts a new one.</summary>
    public void Notify()
    {
        TaskCompletionSource<bool> current;
        lock (_gate)
        {
            current = _next;
            _next = New();
        }
        current.TrySetResult(true);
    }

    /// <summary>
    /// Waits <paramref name="delay"/>, or until <paramref name="changed"/> (a <see cref="Next"/>) completes, whichever comes
    /// first: true when the whole delay passed. Throws when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<bool> DelayOrChangeAsync(Task changed, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay, wake.Token);
        var first = await Task.WhenAny(sleep, changed).ConfigureAwait(false);
        wake.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        return first == sleep;
    }

    private static TaskCompletionSource<bool> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
