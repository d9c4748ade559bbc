using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Polling;

/// <summary>
/// What a connection has learnt of how long each kind of task takes (service, model, size and quality),
/// optionally kept across sessions in a small file; and which waiting task of each kind is its scout.
/// A batch submitted together tends to end together: the scout (the earliest-started task of a kind) looks
/// now and then before the expected end and often after it; its siblings look once, just after their own
/// expected end, or as soon as a sibling is seen ending (they are woken by <see cref="Changed"/>).
/// </summary>
internal sealed class LatencyEstimator
{
    /// <summary>How many recent durations of a kind are kept.</summary>
    internal const int Window = 16;
    /// <summary>The longest duration believed (a task longer than this is not a timing to learn from).</summary>
    internal static readonly TimeSpan LongestKept = TimeSpan.FromHours(2);
    private readonly object _gate = new();
    private readonly string? _path;
    private readonly Dictionary<string, List<TimeSpan>> _observed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Waiter>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TimeSpan Duration, long At)> _lastEnd = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _median = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Waiter> _scout = new(StringComparer.Ordinal);
    private readonly ChangeSignal _changed = new();
    private bool _loaded;
    private bool _dirty;
    private int _saving;
    private long _order;

    /// <summary>An estimator that learns in memory only, or also from and into <paramref name="path"/>.</summary>
    public LatencyEstimator(string? path = null)
    {
        _path = string.IsNullOrEmpty(path) ? null : path;
        _loaded = _path is null;
    }

    /// <summary>The key tasks are grouped by: tasks of one service, model, size and quality take about as long.</summary>
    public static string? KeyOf(Uri service, string? modelId, string? size, string? quality) =>
        modelId is null ? null : string.Join("|", service.Authority, modelId, size ?? "-", quality ?? "-");

    /// <summary>Completes when a batch of some kind is seen starting to end, an estimate moves, or a scout leaves.</summary>
    public Task Changed => _changed.Next;

    /// <summary>The median of the recent durations of a kind, or null when none has been seen.</summary>
    public TimeSpan? Estimate(string? key)
    {
        if (key is null) { return null; }
        lock (_gate)
        {
            EnsureLoaded();
            return _median.TryGetValue(key, out var median) ? median : null;
        }
    }

    /// <summary>The last time a task of a kind was seen ending (a Stopwatch timestamp) and how long it ran, or null.</summary>
    public (TimeSpan Duration, long At)? LastEnd(string? key)
    {
        if (key is null) { return null; }
        lock (_gate) { return _lastEnd.TryGetValue(key, out var last) ? last : null; }
    }

    private static TimeSpan Median(List<TimeSpan> list)
    {
        var sorted = list.OrderBy(t => t).ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>
    /// Records how long a task of a kind took. Wakes the waiters when it is the first end of its kind for a
    /// quarter of a second (a batch ending: the others look once they have run as long) or moves the estimate;
    /// the rest of a batch ending together would only wake every waiter again for each task.
    /// </summary>
    public void Observe(string? key, TimeSpan duration)
    {
        if (key is null || duration <= TimeSpan.Zero || duration > LongestKept) { return; }
        bool wake;
        lock (_gate)
        {
            EnsureLoaded();
            if (!_observed.TryGetValue(key, out var list)) { _observed[key] = list = new List<TimeSpan>(); }
            list.Add(duration);
            if (list.Count > Window) { list.RemoveAt(0); }
            _touched.Add(key);
            var now = Stopwatch.GetTimestamp();
            wake = !_lastEnd.TryGetValue(key, out var last) || now - last.At > Stopwatch.Frequency / 4;
            _lastEnd[key] = (duration, now);
            var median = Median(list);
            wake |= !_median.TryGetValue(key, out var before) || before != median;
            _median[key] = median;
            _dirty = _path is not null;
        }
        if (wake) { _changed.Notify(); }
    }

    /// <summary>Counts a task as waited on, for the choice of its kind's scout. Dispose the result when the wait ends.</summary>
    public IDisposable Join(string? key, long started, out Func<bool> isScout)
    {
        if (key is null)
        {
            isScout = static () => true;
            return Waiter.None;
        }
        var waiter = new Waiter(this, key, started, Interlocked.Increment(ref _order));
        var demoted = false;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(key, out var list)) { _waiting[key] = list = new List<Waiter>(); }
            list.Add(waiter);
            var hasScout = _scout.TryGetValue(key, out var scout);
            if (!hasScout || Earlier(waiter, scout!))
            {
                _scout[key] = waiter;
                demoted = hasScout;
            }
        }
        // A task started earlier joined late (its submit was answered first): the scout it replaces no longer looks early.
        if (demoted) { _changed.Notify(); }
        isScout = waiter.IsScout;
        return waiter;
    }

    private bool IsScout(Waiter waiter)
    {
        lock (_gate)
        {
            return _scout.TryGetValue(waiter.Key, out var scout) && ReferenceEquals(scout, waiter);
        }
    }

    private static bool Earlier(Waiter a, Waiter b) => a.Started < b.Started || (a.Started == b.Started && a.Order < b.Order);

    /// <summary>Whether any task of a kind is being waited on.</summary>
    public bool IsWaitedOn(string? key)
    {
        if (key is null) { return false; }
        lock (_gate) { return _waiting.ContainsKey(key); }
    }

    private void Leave(Waiter waiter)
    {
        bool wasScout;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(waiter.Key, out var list)) { return; }
            wasScout = _scout.TryGetValue(waiter.Key, out var scout) && ReferenceEquals(scout, waiter);
            list.Remove(waiter);
            if (list.Count == 0)
            {
                _waiting.Remove(waiter.Key);
                _scout.Remove(waiter.Key);
            }
            else if (wasScout)
            {
                var next = list[0];
                foreach (var w in list) { if (Earlier(w, next)) { next = w; } }
                _scout[waiter.Key] = next;
            }
        }
        // Another task takes over the scouting: let it see that it now leads.
        if (wasScout) { _changed.Notify(); }
    }

    private sealed class Waiter : IDisposable
    {
        public static readonly IDisposable None = new NoWaiter();
        private readonly LatencyEstimator? _owner;
        private int _left;

        public Waiter(LatencyEstimator owner, string key, long started, long order)
        {
            _owner = owner;
            Key = key;
            Started = started;
            Order = order;
        }

        public string Key { get; }
        public long Started { get; }
        public long Order { get; }

        public bool IsScout() => _owner!.IsScout(this);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) { _owner!.Leave(this); }
        }

        private sealed class NoWaiter : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    /// <summary>Writes what was learnt to the file (when there is one), at most one writer at a time; failures are ignored.</summary>
    public void Save()
    {
        if (_path is null) { return; }
        while (Interlocked.Exchange(ref _saving, 1) == 0)
        {
            try
            {
                while (true)
                {
                    Dictionary<string, List<TimeSpan>> mine;
                    lock (_gate)
                    {
                        if (!_dirty) { break; }
                        _dirty = false;
                        mine = _touched.ToDictionary(k => k, k => _observed[k].ToList(), StringComparer.Ordinal);
                    }
                    LearnedTimingsFile.Write(_path!, mine);
                }
            }
            finally
            {
                Volatile.Write(ref _saving, 0);
            }
            // An observation that arrived as the writer finished is written by the next round.
            lock (_gate) { if (!_dirty) { return; } }
        }
    }

    private void EnsureLoaded()
    {
        if (_loaded) { return; }
        _loaded = true;
        foreach (var pair in LearnedTimingsFile.Read(_path!))
        {
            if (!_observed.ContainsKey(pair.Key))
            {
                _observed[pair.Key] = pair.Value;
                _median[pair.Key] = Median(pair.Value);
            }
        }
    }
}
