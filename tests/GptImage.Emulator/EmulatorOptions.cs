using Microsoft.Extensions.Configuration;

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

/// <summary>Fault probabilities per endpoint kind.</summary>
public sealed class FaultProfile
{
    public FaultRates Submit { get; set; } = new();
    public FaultRates Result { get; set; } = new();
    public FaultRates Upload { get; set; } = new();
    public FaultRates Download { get; set; } = new();
    public FaultRates Images { get; set; } = new();

    internal FaultRates For(EndpointKind kind) => kind switch
    {
        EndpointKind.Submit => Submit,
        EndpointKind.Result => Result,
        EndpointKind.Upload => Upload,
        EndpointKind.Download => Download,
        EndpointKind.Images => Images,
        _ => new FaultRates(),
    };
}

/// <summary>How a sync-mode request answers when the task outlives <see cref="EmulatorOptions.SyncTimeoutMs"/>.</summary>
public enum SyncTimeoutAnswer
{
    /// <summary>HTTP 200, status processing, data.code 5004 and "Sync mode timed out after 90 seconds".</summary>
    Code5004,
    /// <summary>HTTP 504 from the gateway.</summary>
    GatewayTimeout,
}

/// <summary>What the served PNG images contain.</summary>
public enum ImageContent
{
    /// <summary>A smooth deterministic pattern: small files, fast tests.</summary>
    Pattern,
    /// <summary>Deterministic noise stored uncompressed: files of several MB, as real photos are.</summary>
    Noise,
}

/// <summary>Everything that can be configured on one emulator run.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The only key accepted (WaveSpeed and OpenAI-style alike).</summary>
    public string ApiKey { get; set; } = "emulator-test-key";
    /// <summary>Time from submit to a final status.</summary>
    public int InferenceLatencyMs { get; set; } = 2000;
    /// <summary>Latency added before every API answer (not downloads).</summary>
    public int ResponseLatencyMs { get; set; }
    /// <summary>How long a sync-mode request blocks before it gives up (the real service: 90 s).</summary>
    public int SyncTimeoutMs { get; set; } = 90_000;
    public SyncTimeoutAnswer SyncTimeoutAnswer { get; set; } = SyncTimeoutAnswer.Code5004;
    /// <summary>Tasks not yet final at once; a submit beyond it is answered 429. 0 = unlimited.</summary>
    public int MaxConcurrentTasks { get; set; }
    /// <summary>Seconds announced by Retry-After on injected 429s.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
    /// <summary>Account balance in USD; each submit costs the model's public price.</summary>
    public decimal Balance { get; set; } = 1000m;
    /// <summary>Turns the two-step uploads endpoint off (404) so clients must use upload/binary.</summary>
    public bool DisableTwoStepUpload { get; set; }
    public ImageContent ImageContent { get; set; } = ImageContent.Pattern;
    /// <summary>Delay between chunks of a trickled download.</summary>
    public int TrickleDelayMs { get; set; } = 50;
    /// <summary>Seed of the fault dice and generated pictures.</summary>
    public int Seed { get; set; } = 1;
    /// <summary>Secret signing webhooks (GET /api/v3/webhook/secret).</summary>
    public string WebhookSecret { get; set; } = "whsec_emulator-test-secret";
    public FaultProfile Faults { get; set; } = new();

    /// <summary>Reads options from the command line (<c>--Emulator:Name value</c>).</summary>
    public static EmulatorOptions FromArgs(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables("GPTIMAGE_").Build();
        var options = new EmulatorOptions();
        config.GetSection("Emulator").Bind(options);
        return options;
    }
}
