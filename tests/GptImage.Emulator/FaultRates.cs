namespace GptImage.Emulator;

/// <summary>Probabilities of injected faults for one kind of endpoint. Each is 0..1; they are drawn once per request.</summary>
public sealed class FaultRates
{
    /// <summary>429 without Retry-After.</summary>
    public double RateLimit { get; set; }
    /// <summary>429 with Retry-After (seconds, see <see cref="EmulatorOptions.RetryAfterSeconds"/>).</summary>
    public double RateLimitRetryAfter { get; set; }
    /// <summary>500, 502 or 503.</summary>
    public double ServerError { get; set; }
    /// <summary>The connection is reset without an answer.</summary>
    public double Reset { get; set; }
    /// <summary>A 200 answer whose JSON is cut off.</summary>
    public double Malformed { get; set; }
    /// <summary>Downloads: Content-Length declares the whole image, half is sent, then the connection is aborted.</summary>
    public double Truncate { get; set; }
    /// <summary>Downloads: the body is trickled in small chunks with pauses.</summary>
    public double Trickle { get; set; }
    /// <summary>Downloads: 404 as for an output deleted after 7 days.</summary>
    public double Expired { get; set; }

    internal double Total => RateLimit + RateLimitRetryAfter + ServerError + Reset + Malformed + Truncate + Trickle + Expired;
}
