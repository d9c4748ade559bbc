using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>Counters of what the emulator served, so tests can assert "submitted exactly once".</summary>
public sealed record EmulatorStats
{
    public long SubmitRequests { get; init; }
    public long Submits { get; init; }
    public long SubmitsRejected { get; init; }
    public long ResultQueries { get; init; }
    public long Uploads { get; init; }
    public long UploadPuts { get; init; }
    public long BinaryUploads { get; init; }
    public long MediaDownloads { get; init; }
    public long DownloadRequests { get; init; }
    public long Downloads { get; init; }
    public long ImageGenerations { get; init; }
    public long ImageEdits { get; init; }
    public long WebhooksDelivered { get; init; }
    public long RateLimited { get; init; }
    public long FaultsInjected { get; init; }
    public long Unauthorized { get; init; }
    public long MaxTasksInFlight { get; init; }
    /// <summary>Every request received, whatever it asked.</summary>
    public long Requests { get; init; }
    /// <summary>Requests under the hostile prefix (see HostileServer).</summary>
    public long HostileRequests { get; init; }
}

internal sealed class StatCounters
{
    public long SubmitRequests, Submits, SubmitsRejected, ResultQueries, Uploads, UploadPuts, BinaryUploads, MediaDownloads,
        DownloadRequests, Downloads, ImageGenerations, ImageEdits, WebhooksDelivered, RateLimited, FaultsInjected,
        Unauthorized, MaxTasksInFlight, Requests, HostileRequests;

    public EmulatorStats Snapshot() => new()
    {
        SubmitRequests = Interlocked.Read(ref SubmitRequests),
        Submits = Interlocked.Read(ref Submits),
        SubmitsRejected = Interlocked.Read(ref SubmitsRejected),
        ResultQueries = Interlocked.Read(ref ResultQueries),
        Uploads = Interlocked.Read(ref Uploads),
        UploadPuts = Interlocked.Read(ref UploadPuts),
        BinaryUploads = Interlocked.Read(ref BinaryUploads),
        MediaDownloads = Interlocked.Read(ref MediaDownloads),
        DownloadRequests = Interlocked.Read(ref DownloadRequests),
        Downloads = Interlocked.Read(ref Downloads),
        ImageGenerations = Interlocked.Read(ref ImageGenerations),
        ImageEdits = Interlocked.Read(ref ImageEdits),
        WebhooksDelivered = Interlocked.Read(ref WebhooksDelivered),
        RateLimited = Interlocked.Read(ref RateLimited),
        FaultsInjected = Interlocked.Read(ref FaultsInjected),
        Unauthorized = Interlocked.Read(ref Unauthorized),
        MaxTasksInFlight = Interlocked.Read(ref MaxTasksInFlight),
        Requests = Interlocked.Read(ref Requests),
        HostileRequests = Interlocked.Read(ref HostileRequests),
    };
}

/// <summary>Per-task behaviour asked for at submit with the <c>X-Emulator-Task</c> header.</summary>
internal sealed class TaskBehaviour
{
    public const string HeaderName = "X-Emulator-Task";
    public int? FailCode { get; set; }
    public int? LatencyMs { get; set; }
    public bool Nsfw { get; set; }
    /// <summary>Accept body fields the model's page does not list (to see -AdditionalParameter arrive).</summary>
    public bool ExtraFields { get; set; }
    public SyncTimeoutAnswer? SyncTimeout { get; set; }
    /// <summary>Fault applied to every download of this task's outputs.</summary>
    public Fault? OutputFault { get; set; }

    /// <summary>The settings inside a <c>[emulator:fail=1200;latency=500]</c> marker of a prompt, or "".</summary>
    public static string PromptMarker(string? prompt)
    {
        var match = System.Text.RegularExpressions.Regex.Match(prompt ?? "", @"\[emulator:([^\]]*)\]");
        return match.Success ? match.Groups[1].Value : "";
    }

    /// <summary>Parses <c>fail=1200; latency=500; nsfw; extra-fields; sync-timeout=504|5004; output=expired|truncate|trickle|reset</c>.</summary>
    public static TaskBehaviour Parse(string? header)
    {
        var behaviour = new TaskBehaviour();
        if (string.IsNullOrWhiteSpace(header)) { return behaviour; }
        foreach (var raw in header.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            var value = parts.Length > 1 ? parts[1] : "";
            switch (parts[0].ToLowerInvariant())
            {
                case "fail": behaviour.FailCode = int.Parse(value.Length == 0 ? "1403" : value, CultureInfo.InvariantCulture); break;
                case "latency": behaviour.LatencyMs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "nsfw": behaviour.Nsfw = true; break;
                case "extra-fields": behaviour.ExtraFields = true; break;
                case "sync-timeout": behaviour.SyncTimeout = value == "504" ? SyncTimeoutAnswer.GatewayTimeout : SyncTimeoutAnswer.Code5004; break;
                case "output": behaviour.OutputFault = Fault.Parse(value); break;
                default: break;
            }
        }
        return behaviour;
    }
}

internal enum TaskPhase { Created, Processing, Completed, Failed }

/// <summary>One emulated prediction. Its status is a function of the clock: no timers needed.</summary>
internal sealed class EmulatedTask
{
    private readonly long _startTicks = Stopwatch.GetTimestamp();

    public required string Id { get; init; }
    public required string Model { get; init; }
    public required JsonObject Input { get; init; }
    public required int LatencyMs { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public int OutputCount { get; init; } = 1;
    public bool Base64 { get; init; }
    public required TaskBehaviour Behaviour { get; init; }
    public int? FailCode { get; init; }
    public string? FailMessage { get; init; }
    public string? Webhook { get; init; }
    public ImageContent Content { get; init; }
    /// <summary>png, jpeg or webp: the format of the outputs.</summary>
    public string Format { get; init; } = "png";
    /// <summary>output_compression: the JPEG and lossy WebP quality, 0–100.</summary>
    public int Compression { get; init; } = 100;
    /// <summary>background: transparent, so the outputs carry an alpha channel.</summary>
    public bool Transparent { get; init; }
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
    public int Variant => (int)((uint)Id.GetHashCode(StringComparison.Ordinal) & 7);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTicks);

    public TimeSpan Remaining => TimeSpan.FromMilliseconds(LatencyMs) - Elapsed;

    public TaskPhase Phase
    {
        get
        {
            var ms = Elapsed.TotalMilliseconds;
            if (ms >= LatencyMs) { return FailCode is null ? TaskPhase.Completed : TaskPhase.Failed; }
            return ms < LatencyMs * 0.1 ? TaskPhase.Created : TaskPhase.Processing;
        }
    }

    public bool IsFinal => Phase is TaskPhase.Completed or TaskPhase.Failed;
}

/// <summary>A file uploaded through either upload flow.</summary>
internal sealed class MediaItem
{
    public required string Token { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long DeclaredSize { get; init; }
    public byte[]? Data { get; set; }
}

/// <summary>All the emulator's mutable state.</summary>
internal sealed class EmulatorState(EmulatorOptions options)
{
    public EmulatorOptions Options { get; } = options;
    public StatCounters Stats { get; } = new();
    public FaultInjector Faults { get; } = new(options);
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
