using System;
using System.Net;

namespace GptImage.Client;

/// <summary>Everything a connection needs: where, who, and how patiently. Validated by <see cref="Validate"/>.</summary>
public sealed class ConnectionOptions
{
    /// <summary>WaveSpeed's public endpoint.</summary>
    public static readonly Uri WaveSpeedBaseUri = new("https://api.wavespeed.ai/");

    /// <summary>The environment variable holding a WaveSpeed key.</summary>
    public const string WaveSpeedKeyVariable = "WAVESPEED_API_KEY";

    /// <summary>The public endpoint of a provider.</summary>
    public static Uri DefaultBaseUri(ProviderKind provider) => provider switch
    {
        ProviderKind.AimlApi => new Uri("https://api.aimlapi.com/"),
        ProviderKind.OpenAI => new Uri("https://api.openai.com/"),
        _ => WaveSpeedBaseUri,
    };

    /// <summary>The environment variable a provider's key is read from when none is given.</summary>
    public static string KeyVariable(ProviderKind provider) => provider switch
    {
        ProviderKind.AimlApi => "AIMLAPI_API_KEY",
        ProviderKind.OpenAI => "OPENAI_API_KEY",
        _ => WaveSpeedKeyVariable,
    };

    /// <summary>The provider.</summary>
    public ProviderKind Provider { get; set; } = ProviderKind.WaveSpeed;
    /// <summary>The API root; https is required unless the host is loopback.</summary>
    public Uri BaseUri { get; set; } = WaveSpeedBaseUri;
    /// <summary>The key.</summary>
    public ApiCredential? Credential { get; set; }
    /// <summary>An explicit proxy; when null the system proxy is used.</summary>
    public IWebProxy? Proxy { get; set; }
    /// <summary>How long one HTTP request may take (a sync-mode submit gets 30 s more than the service's 90 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
    /// <summary>Retries after the first attempt, for requests that may be retried.</summary>
    public int MaximumRetryCount { get; set; } = 5;
    /// <summary>The first retry's delay; later ones double, with jitter, up to <see cref="MaximumRetryInterval"/>.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(0.5);
    /// <summary>The longest delay between two attempts (a longer Retry-After is still honoured up to 5 minutes).</summary>
    public TimeSpan MaximumRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Tasks not yet final at once, per connection; a submit beyond it waits locally. 0 = no limit.</summary>
    public int MaxTasksInFlight { get; set; }
    /// <summary>The largest image a download, a base64 answer or a kept output may write.</summary>
    public long MaxDownloadBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>The most read of any answer: twice the image cap, room for base64 images (4 bytes for 3) and JSON.</summary>
    internal long MaxAnswerBytes => 2 * MaxDownloadBytes;
    /// <summary>How long an answer's body may send nothing before it is abandoned (and retried where that is allowed).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How results are polled.</summary>
    public PollSchedule PollSchedule { get; set; } = PollSchedule.Default;
    /// <summary>
    /// A file where the connection keeps how long each kind of task took, so a new session does not start blind
    /// (null: learnt in memory only). The cmdlets use <c>GptImage/timings.json</c> in the user's local application data.
    /// </summary>
    public string? LearnedTimingsPath { get; set; }
    /// <summary>Where request lines go (-Verbose). Never receives the key.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>A copy to adjust for one call.</summary>
    public ConnectionOptions Clone() => (ConnectionOptions)MemberwiseClone();

    /// <summary>Throws InvalidParameter when the options cannot be used safely.</summary>
    public void Validate()
    {
        if (BaseUri is null || !BaseUri.IsAbsoluteUri)
        {
            throw GptImageException.InvalidParameter("BaseUri", "The base URI must be absolute.");
        }
        if (BaseUri.Scheme != Uri.UriSchemeHttps && !(BaseUri.Scheme == Uri.UriSchemeHttp && IsLoopback(BaseUri)))
        {
            throw GptImageException.InvalidParameter("BaseUri",
                $"'{BaseUri}' is not https. A key is only sent over https, or over http to this machine (loopback).");
        }
        if (MaximumRetryCount < 0) { throw GptImageException.InvalidParameter("MaximumRetryCount", "MaximumRetryCount cannot be negative."); }
        if (RetryInterval < TimeSpan.Zero) { throw GptImageException.InvalidParameter("RetryIntervalSec", "RetryIntervalSec cannot be negative."); }
        if (RequestTimeout <= TimeSpan.Zero) { throw GptImageException.InvalidParameter("TimeoutSec", "The request timeout must be positive."); }
        if (StallTimeout <= TimeSpan.Zero) { throw GptImageException.InvalidParameter("StallTimeout", "The stall timeout must be positive."); }
    }

    /// <summary>Whether a URI points at this machine.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
