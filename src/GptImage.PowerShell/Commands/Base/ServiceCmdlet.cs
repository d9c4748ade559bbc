using System.Management.Automation;
using System.Security;
using GptImage.Commands.Arguments;
using GptImage.Providers;
using GptImage.Providers.WaveSpeed;
using GptImage.Session;

namespace GptImage.Commands.Base;

/// <summary>
/// A cmdlet that talks to the service: the key and retry parameters, and the one place a call's provider,
/// connection and key are worked out (<see cref="BeginProcessing"/>, through the runspace's session).
/// </summary>
public abstract class ServiceCmdlet : GptImageCmdlet
{
    /// <summary>The API key for this call.</summary>
    [Parameter]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>The provider for this call.</summary>
    [Parameter]
    public ProviderKind Provider { get; set; }

    /// <summary>How many times a request that may be retried is retried.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = -1;

    /// <summary>Seconds before the first retry.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; } = -1;

    /// <summary>The client of this call's provider, resolved once in <see cref="BeginProcessing"/>; its Kind is the provider.</summary>
    private protected IImageApiClient Client { get; private set; } = null!;

    /// <summary>The client of a call that uses a <see cref="WaveSpeedOnly"/> feature (the session refuses any other provider for it).</summary>
    private protected WaveSpeedClient WaveSpeed => (WaveSpeedClient)Client;

    /// <summary>Whether the cmdlet cannot start without a key (Save-GptImage downloads without one).</summary>
    protected virtual bool RequiresKey => true;

    /// <summary>The feature of this call that only WaveSpeed has, or null (the account cmdlets, the history).</summary>
    protected virtual string? WaveSpeedOnly => null;

    /// <summary>Resolves the call's client; a missing key or a WaveSpeed-only feature elsewhere stops the cmdlet before anything is read or sent.</summary>
    protected override void BeginProcessing() => Client = OrStop(() => RunspaceSession.Current.Resolve(new CallSettings
    {
        Provider = MyInvocation.BoundParameters.ContainsKey(nameof(Provider)) ? Provider : null,
        ApiKey = ApiKey,
        MaximumRetryCount = MaximumRetryCount >= 0 ? MaximumRetryCount : null,
        RetryIntervalSec = RetryIntervalSec >= 0 ? RetryIntervalSec : null,
        Log = line => Runner.Post(sink => sink.WriteVerbose(line)),
        Debug = DebugWanted ? line => Runner.Post(sink => sink.WriteDebug(line)) : null,
        RequireKey = RequiresKey,
        WaveSpeedOnly = WaveSpeedOnly,
    }));
}
