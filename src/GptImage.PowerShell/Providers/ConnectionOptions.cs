using System;
using GptImage.Http;
using GptImage.Polling;

namespace GptImage.Providers;

/// <summary>
/// Everything a connection needs: the transport's options (where, who, how patiently), and what the providers
/// add: the cap on tasks in flight, how results are polled and where learnt timings are kept.
/// </summary>
public sealed class ConnectionOptions : TransportOptions
{
    /// <summary>WaveSpeed's public endpoint.</summary>
    public static readonly Uri WaveSpeedBaseUri = new("https://api.wavespeed.ai/");

    /// <summary>The public endpoint of a provider.</summary>
    public static Uri DefaultBaseUri(ProviderKind provider) => provider switch
    {
        ProviderKind.AimlApi => new Uri("https://api.aimlapi.com/"),
        ProviderKind.OpenAI => new Uri("https://api.openai.com/"),
        _ => WaveSpeedBaseUri,
    };

    /// <summary>Tasks not yet final at once, per connection; a submit beyond it waits locally. 0 = no limit.</summary>
    public int MaxTasksInFlight { get; set; }
    /// <summary>How results are polled.</summary>
    public PollSchedule PollSchedule { get; set; } = PollSchedule.Default;
    /// <summary>
    /// A file where the connection keeps how long each kind of task took, so a new session does not start blind
    /// (null: learnt in memory only). The cmdlets use <c>GptImage/timings.json</c> in the user's local application data.
    /// </summary>
    public string? LearnedTimingsPath { get; set; }

    /// <summary>A copy to adjust for one call.</summary>
    public ConnectionOptions Clone() => (ConnectionOptions)MemberwiseClone();
}
