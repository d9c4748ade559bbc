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
    /// <summary>The most output downloads held open at once under the hostile mode slow-output.</summary>
    public long MaxDownloadsInFlight { get; init; }
    /// <summary>Tokens the managed-identity endpoint issued.</summary>
    public long IdentityTokens { get; init; }
    /// <summary>Requests to the managed-identity endpoint, answered with a token or refused.</summary>
    public long IdentityRequests { get; init; }
}
