using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using GptImage.Http;
using GptImage.Polling;

namespace GptImage.Providers;

/// <summary>
/// What a session shares across calls to one service: the HttpClient (so connections are reused), the
/// upload cache (each distinct content uploaded once), the cap on tasks in flight and the ids it submitted.
/// </summary>
internal sealed class GptImageConnection : IDisposable
{
    /// <summary>Opens a connection; <paramref name="handler"/> replaces the network stack (tests).</summary>
    public GptImageConnection(ConnectionOptions options, HttpMessageHandler? handler = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        Http = ApiHttpClient.Create(options, handler);
        Slots = new TaskSlots(options.MaxTasksInFlight, options.PollSchedule);
        Latency = new LatencyEstimator(options.LearnedTimingsPath);
    }

    /// <summary>The options the connection was opened with; calls start from a copy of them.</summary>
    public ConnectionOptions Options { get; }

    internal HttpClient Http { get; }

    internal ConcurrentDictionary<string, Lazy<Task<Uri>>> Uploads { get; } = new(StringComparer.Ordinal);

    internal TaskSlots Slots { get; }

    internal HashSet<string> Known { get; } = new(StringComparer.Ordinal);

    internal bool TwoStepUploadMissing { get; set; }

    internal LatencyEstimator Latency { get; }

    /// <summary>Synchronous (Images API) predictions of this session, by id: they cannot be queried again.</summary>
    internal ConcurrentDictionary<string, Prediction> Finished { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Dispose() => Http.Dispose();
}
