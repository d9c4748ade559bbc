using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Client;

/// <summary>
/// What a connection has learnt of how long each kind of task takes (service, model, size and quality),
/// optionally kept across sessions in a small file; and which waiting task of each kind is its scout.
/// A batch submitted together tends to end together: the scout (the earliest-started task of a kind) looks
/// now and then before the expected end and often after it; its siblings look once, just after their own
/// expected end, or as soon as a sibling is seen ending (they are woken by <see cref="Changed"/>).
/// </summary>
internal sealed class LatencyEstimator
{
    private const int Window = 16;
    private const int MaxKinds = 64;
    // The expected end counts from the submit's answer, after the task started; the margin covers a timer firing a little early.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(3);
    private static readonly TimeSpan LongestKept = TimeSpan.FromHours(2);
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

    /// <summary>The file learnt timings are kept in by default: GptImage/timings.json in the user's local application data, or null when there is none.</summary>
    public static string? DefaultPath
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "GptImage", "timings.json");
        }
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
        lock (_gate)
        {
            if (!_waiting.TryGetValue(key, out var list)) { _waiting[key] = list = new List<Waiter>(); }
            list.Add(waiter);
            if (!_scout.TryGetValue(key, out var scout) || Earlier(waiter, scout)) { _scout[key] = waiter; }
        }
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

    /// <summary>
    /// The delay before the next query of a task running for <paramref name="running"/>, for its kind's scout
    /// once it has looked (see <see cref="NextDelay(PollSchedule, PollState)"/>).
    /// </summary>
    public static TimeSpan NextDelay(PollSchedule schedule, TimeSpan waited, TimeSpan running, TimeSpan? expected) =>
        NextDelay(schedule, new PollState { Waited = waited, Running = running, Expected = expected, Scout = true, Queries = 1 });

    /// <summary>
    /// The delay before a task's next query. A sibling seen ending since the task last looked: look when the
    /// task has run as long as the sibling did. A task first waited on after its expected end: look at once. Else, with an expected duration: just after the expected end;
    /// before it, the scout also looks now and then (every half of the time waited, at least a second) in case
    /// the batch ends early; after it, the scout looks often for half the estimate, the others on the
    /// schedule (they are woken when the scout sees the end). Without one, the scout follows the schedule and
    /// the others look at most once per <see cref="PollSchedule.AverageInterval"/>. In every case a task makes
    /// at most one query per <see cref="PollSchedule.AverageInterval"/> on average over its wait, beyond the first.
    /// </summary>
    public static TimeSpan NextDelay(PollSchedule schedule, PollState state)
    {
        var delay = Unbounded(schedule, state);
        if (state.FirstLookSpread is { } spread && state.Expected is null && state.SiblingEnded is null && schedule.SpreadFirstDelay)
        {
            // Blind: the tasks of a batch look at different moments (and keep those phases, a second or more
            // apart), so between them the batch is looked at often and the first end seen wakes the rest.
            delay = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + spread)));
        }
        var floor = TimeSpan.FromTicks((schedule.AverageInterval.Ticks * state.Queries) - state.Waited.Ticks);
        return delay < floor ? floor : delay;
    }

    private static TimeSpan Unbounded(PollSchedule schedule, PollState state)
    {
        if (state.SiblingEnded is { } sibling)
        {
            var untilSibling = sibling - state.Running;
            return untilSibling > TimeSpan.Zero ? untilSibling + Margin : TimeSpan.Zero;
        }
        var delay = schedule.NextDelay(state.Waited);
        if (state.Expected is not { } estimate)
        {
            return state.Scout || delay >= schedule.AverageInterval ? delay : schedule.AverageInterval;
        }
        var untilExpected = estimate - state.Running;
        if (untilExpected <= TimeSpan.Zero && state.Queries == 0)
        {
            // Waited on only after it should have ended (submitted earlier, waited on now): look at once.
            return TimeSpan.Zero;
        }
        if (untilExpected > TimeSpan.Zero)
        {
            var justAfter = untilExpected + Margin;
            if (!state.Scout) { return justAfter; }
            var coarse = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, state.Waited.Ticks / 2));
            return justAfter < coarse ? justAfter : coarse;
        }
        if (state.Scout && -untilExpected < TimeSpan.FromTicks(estimate.Ticks / 2))
        {
            var often = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, estimate.Ticks / 20));
            return often < delay ? often : delay;
        }
        return delay;
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
                    Write(mine);
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

    private void Write(Dictionary<string, List<TimeSpan>> mine)
    {
        try
        {
            // What other sessions learnt since this one read the file is kept, except for the kinds this one saw.
            var all = Read(_path!).Where(p => !mine.ContainsKey(p.Key)).ToList();
            all.AddRange(mine);
            var kept = all.Skip(Math.Max(0, all.Count - MaxKinds)).ToList();
            using var file = AtomicFile.Create(Path.GetDirectoryName(_path!)!);
            using (var json = new Utf8JsonWriter(file.Stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteNumber("version", 1);
                json.WriteStartObject("durationsMs");
                foreach (var pair in kept)
                {
                    json.WriteStartArray(pair.Key);
                    foreach (var d in pair.Value) { json.WriteNumberValue(Math.Round(d.TotalMilliseconds)); }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            file.CommitAs(_path!, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Learnt timings are a hint: a read-only or busy folder only means the next session starts blind.
        }
    }

    private void EnsureLoaded()
    {
        if (_loaded) { return; }
        _loaded = true;
        foreach (var pair in Read(_path!))
        {
            if (!_observed.ContainsKey(pair.Key))
            {
                _observed[pair.Key] = pair.Value;
                _median[pair.Key] = Median(pair.Value);
            }
        }
    }

    /// <summary>The kinds in a timings file, in file order; an absent, unreadable or malformed file holds none.</summary>
    internal static Dictionary<string, List<TimeSpan>> Read(string path)
    {
        var result = new Dictionary<string, List<TimeSpan>>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists(path)) { return result; }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > 1024 * 1024) { return result; }
            using var doc = JsonDocument.Parse(stream);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("durationsMs", out var kinds) || kinds.ValueKind != JsonValueKind.Object)
            {
                return result;
            }
            foreach (var kind in kinds.EnumerateObject())
            {
                if (kind.Value.ValueKind != JsonValueKind.Array || kind.Name.Length > 512) { continue; }
                var list = new List<TimeSpan>();
                foreach (var value in kind.Value.EnumerateArray())
                {
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms) && ms > 0 && ms <= LongestKept.TotalMilliseconds)
                    {
                        list.Add(TimeSpan.FromMilliseconds(ms));
                    }
                }
                if (list.Count > Window) { list.RemoveRange(0, list.Count - Window); }
                if (list.Count > 0) { result[kind.Name] = list; }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            result.Clear();
        }
        return result;
    }
}
