using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>All the emulator's mutable state.</summary>
internal sealed class EmulatorState(EmulatorOptions options)
{
    public EmulatorOptions Options { get; } = options;
    public StatCounters Stats { get; } = new();
    public FaultInjector Faults { get; } = new(options);
    public IdentityTokens Identity { get; } = new(options);
    public ConcurrentDictionary<string, EmulatedTask> Tasks { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, MediaItem> Media { get; } = new(StringComparer.Ordinal);
    /// <summary>The fields of every Images API request that was answered, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string?>> ImagesRequests { get; } = new();
    public Lock SubmitLock { get; } = new();
    private JsonObject? _lastSubmit;

    /// <summary>The last submit as it arrived (path, query, body or form fields): what a client put on the wire.</summary>
    public JsonObject? LastSubmit
    {
        get { lock (SubmitLock) { return (JsonObject?)_lastSubmit?.DeepClone(); } }
        set { lock (SubmitLock) { _lastSubmit = value; } }
    }
    private decimal _balance = options.Balance;

    public decimal Balance { get { lock (SubmitLock) { return _balance; } } }

    /// <summary>Charges a submit; false when the balance does not cover it. Call under <see cref="SubmitLock"/>.</summary>
    public bool TryCharge(decimal price)
    {
        if (_balance < price) { return false; }
        _balance -= price;
        return true;
    }

    public int TasksInFlight() => Tasks.Values.Count(t => !t.IsFinal);

    public void NoteInFlight(long count)
    {
        long seen;
        while (count > (seen = Interlocked.Read(ref Stats.MaxTasksInFlight)))
        {
            Interlocked.CompareExchange(ref Stats.MaxTasksInFlight, count, seen);
        }
    }
}
