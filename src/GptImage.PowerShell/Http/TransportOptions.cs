using System;
using System.Net;
using GptImage.Http.Auth;
using GptImage.Http.Retry;

namespace GptImage.Http;

/// <summary>What the transport needs of a connection: where, who, through which proxy, and how long it may take.</summary>
internal class TransportOptions : RetryOptions
{
    /// <summary>The provider.</summary>
    public ProviderKind Provider { get; set; } = ProviderKind.WaveSpeed;
    /// <summary>The API root; https is required unless the host is loopback.</summary>
    public Uri BaseUri { get; set; } = new("https://api.wavespeed.ai/");
    /// <summary>The key.</summary>
    public ApiCredential? Credential { get; set; }
    /// <summary>An explicit proxy; when null the system proxy is used.</summary>
    public IWebProxy? Proxy { get; set; }
    /// <summary>How long one HTTP request may take (a sync-mode submit gets 30 s more than the service's 90 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
    /// <summary>The largest image a download, a base64 answer or a kept output may write.</summary>
    public long MaxDownloadBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>The most read of any answer: twice the image cap, room for base64 images (4 bytes for 3) and JSON.</summary>
    internal long MaxAnswerBytes => 2 * MaxDownloadBytes;
    /// <summary>How long an answer's body may send nothing before it is abandoned (and retried where that is allowed).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Where request lines go (-Verbose). Never receives the key.</summary>
    public Action<string>? Log { get; set; }
    /// <summary>Where request bodies go (-Debug), elided by <see cref="RequestBodies"/>; null when no one listens. Never receives the key.</summary>
    public Action<string>? Debug { get; set; }

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
