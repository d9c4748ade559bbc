using System.Threading.Tasks;

namespace GptImage.Client;

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

    private static TaskCompletionSource<bool> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
