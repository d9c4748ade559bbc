using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Polling;

/// <summary>
/// The per-connection cap on tasks not yet final (WaveSpeed's account levels cap concurrent tasks). A
/// submit beyond the cap waits here instead of drawing a 429. Slots are freed when anyone sees a task end;
/// when nobody is waiting on the tasks, the blocked submitter looks at them itself (one at a time).
/// </summary>
internal sealed class TaskSlots
{
    private readonly int _max;
    private readonly PollSchedule _schedule;
    private readonly object _gate = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private int _reserved;
    private bool _checking;
    private readonly ChangeSignal _changed = new();

    public TaskSlots(int max, PollSchedule schedule)
    {
        _max = max;
        _schedule = schedule;
    }

    public bool Enabled => _max > 0;

    /// <summary>Waits for a free slot and reserves it. <paramref name="isFinal"/> queries one task's status.</summary>
    public async Task AcquireAsync(Func<string, CancellationToken, Task<bool>> isFinal, CancellationToken cancellationToken)
    {
        if (!Enabled) { return; }
        var waited = TimeSpan.Zero;
        while (true)
        {
            Task changed;
            string[] toCheck = Array.Empty<string>();
            lock (_gate)
            {
                if (_inFlight.Count + _reserved < _max)
                {
                    _reserved++;
                    return;
                }
                changed = _changed.Next;
                if (!_checking && _inFlight.Count > 0)
                {
                    _checking = true;
                    toCheck = _inFlight.ToArray();
                }
            }
            if (toCheck.Length > 0)
            {
                try
                {
                    foreach (var id in toCheck)
                    {
                        if (await isFinal(id, cancellationToken).ConfigureAwait(false)) { Release(id); }
                    }
                }
                finally
                {
                    lock (_gate) { _checking = false; }
                }
                if (changed.IsCompleted) { continue; }
            }
            var delay = _schedule.NextDelay(waited);
            waited += delay;
            await ChangeSignal.DelayOrChangeAsync(changed, delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Turns a reservation into a tracked task (or frees it when the task is already final).</summary>
    public void Register(string id, bool final)
    {
        if (!Enabled) { return; }
        lock (_gate)
        {
            _reserved--;
            if (!final) { _inFlight.Add(id); }
        }
        if (final) { _changed.Notify(); }
    }

    /// <summary>Gives a reservation back after a submit that created nothing.</summary>
    public void Unreserve()
    {
        if (!Enabled) { return; }
        lock (_gate) { _reserved--; }
        _changed.Notify();
    }

    /// <summary>Frees a task's slot once it is seen final.</summary>
    public void Release(string id)
    {
        if (!Enabled) { return; }
        bool removed;
        lock (_gate) { removed = _inFlight.Remove(id); }
        if (removed) { _changed.Notify(); }
    }
}
