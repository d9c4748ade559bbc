namespace GptImage.Emulator;

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
    /// <summary>Azure OpenAI: the resource's deployments, by name, and the model each serves.</summary>
    public Dictionary<string, string> AzureDeployments { get; set; } = new(StringComparer.Ordinal)
    {
        ["gpt-image-1"] = "gpt-image-1",
        ["gpt-image-1-mini"] = "gpt-image-1-mini",
        ["gpt-image-1.5"] = "gpt-image-1.5",
        ["images"] = "gpt-image-1",
    };
    /// <summary>The managed-identity endpoint's secret (what IDENTITY_HEADER holds in Azure Automation).</summary>
    public string IdentityHeader { get; set; } = "emulator-identity-header";
    /// <summary>How long an identity token lives (its expires_on).</summary>
    public int TokenLifetimeSec { get; set; } = 3600;
    /// <summary>Whether the identity has a role on the resource: when not, every token it gets is refused (401).</summary>
    public bool IdentityRoleAssigned { get; set; } = true;
    /// <summary>At this signed request, every identity token issued so far expires, before its expires_on (0 = never).</summary>
    public int ExpireTokensAfter { get; set; }

    /// <summary>Reads options from the command line (<c>--Emulator:Name value</c>).</summary>
    public static EmulatorOptions FromArgs(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables("GPTIMAGE_").Build();
        var options = new EmulatorOptions();
        config.GetSection("Emulator").Bind(options);
        return options;
    }
}
