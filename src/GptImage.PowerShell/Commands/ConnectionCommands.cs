using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using GptImage.Client;
using GptImage.Commands.Logic;

namespace GptImage.Commands;

/// <summary>What Connect-GptImage -PassThru writes: the connection's settings, never its key.</summary>
public sealed class GptImageConnectionInfo
{
    /// <summary>The provider.</summary>
    public ProviderKind Provider { get; init; }
    /// <summary>The API root.</summary>
    public Uri BaseUri { get; init; } = ClientOptions.WaveSpeedBaseUri;
    /// <summary>Where the key came from: Parameter or Environment.</summary>
    public string KeySource { get; init; } = string.Empty;
    /// <summary>The explicit proxy, if any.</summary>
    public Uri? Proxy { get; init; }
    /// <summary>The cap on tasks in flight (0 = none).</summary>
    public int MaxTasksInFlight { get; init; }
}

/// <summary>
/// <para type="synopsis">Sets the session's connection: key, endpoint, proxy and concurrency.</para>
/// <para type="description">Every later GptImage command in the session uses this connection and shares its HTTP connections, its upload cache and its cap on tasks in flight. Without Connect-GptImage, the WAVESPEED_API_KEY environment variable is used.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "GptImage")]
[OutputType(typeof(GptImageConnectionInfo))]
public sealed class ConnectGptImageCommand : PSCmdlet
{
    /// <summary>
    /// <para type="description">The API key (a SecureString, e.g. Get-Secret WaveSpeed; a plain string is accepted). Defaults to the provider's environment variable.</para>
    /// </summary>
    [Parameter(Position = 0)]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>
    /// <para type="description">The provider: WaveSpeed (default), AimlApi (AIML API's OpenAI-style Images API) or OpenAI. Each has its base URI and key variable (WAVESPEED_API_KEY, AIMLAPI_API_KEY, OPENAI_API_KEY).</para>
    /// </summary>
    [Parameter]
    public ProviderKind Provider { get; set; } = ProviderKind.WaveSpeed;

    /// <summary>
    /// <para type="description">The API root, e.g. a gateway or the local emulator. https is required unless the host is this machine.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>
    /// <para type="description">A proxy for every request. Without it, the system proxy is used.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>
    /// <para type="description">Credentials for -Proxy.</para>
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>
    /// <para type="description">The most tasks not yet final at once (your WaveSpeed account level's concurrency; Bronze: 2). Further submits wait locally instead of being refused. 0 (default) = no cap.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100000)]
    public int MaxTasksInFlight { get; set; }

    /// <summary>
    /// <para type="description">Write the connection's settings (never the key).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var credential = ApiKey is { Length: > 0 } ? ApiCredential.FromSecureString(ApiKey) : ApiCredential.FromEnvironment(ClientOptions.KeyVariable(Provider));
        if (credential is null)
        {
            ThrowTerminatingError(ErrorRecords.From(ErrorMapping.MissingKey(Provider)));
        }
        var options = new ClientOptions
        {
            Provider = Provider,
            BaseUri = BaseUri ?? ClientOptions.DefaultBaseUri(Provider),
            Credential = credential,
            MaxTasksInFlight = MaxTasksInFlight,
        };
        if (Proxy is not null)
        {
            options.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
        }
        try
        {
            GptImageSession.Connect(options);
        }
        catch (GptImageException e)
        {
            ThrowTerminatingError(ErrorRecords.From(ErrorMapping.ToErrorInfo(e, BaseUri, terminating: true)));
        }
        WriteVerbose($"Connected to {options.Provider} at {options.BaseUri} (key from {(ApiKey is null ? "the environment" : "-ApiKey")}).");
        if (PassThru)
        {
            WriteObject(new GptImageConnectionInfo
            {
                Provider = options.Provider,
                BaseUri = options.BaseUri,
                KeySource = ApiKey is null ? "Environment" : "Parameter",
                Proxy = Proxy,
                MaxTasksInFlight = MaxTasksInFlight,
            });
        }
    }
}

/// <summary>
/// <para type="synopsis">Forgets the session's connection.</para>
/// <para type="description">Later commands use -ApiKey or the environment again. Commands still running finish on the old connection.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "GptImage")]
[OutputType(typeof(void))]
public sealed class DisconnectGptImageCommand : PSCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteVerbose(GptImageSession.Disconnect() ? "Disconnected." : "There was no connection.");
    }
}
