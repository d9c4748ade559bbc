namespace GptImage.Emulator;

internal sealed class StatCounters
{
    public long SubmitRequests, Submits, SubmitsRejected, ResultQueries, Uploads, UploadPuts, BinaryUploads, MediaDownloads,
        DownloadRequests, Downloads, ImageGenerations, ImageEdits, WebhooksDelivered, RateLimited, FaultsInjected,
        Unauthorized, MaxTasksInFlight, Requests, HostileRequests, DownloadsInFlight, MaxDownloadsInFlight,
        IdentityTokens, IdentityRequests;

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
        MaxDownloadsInFlight = Interlocked.Read(ref MaxDownloadsInFlight),
        IdentityTokens = Interlocked.Read(ref IdentityTokens),
        IdentityRequests = Interlocked.Read(ref IdentityRequests),
    };
}
