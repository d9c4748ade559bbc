using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Http;
using GptImage.Providers;

namespace GptImage.Commands;

/// <summary>Sets the session's connection: key, endpoint, proxy and concurrency.</summary>
[Cmdlet(VerbsCommunications.Connect, "GptImage")]
[OutputType(typeof(GptImageConnectionInfo))]
public sealed class ConnectGptImageCommand : PSCmdlet
{
    /// <summary>The API key.</summary>
    [Parameter(Position = 0)]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>The provider.</summary>
    [Parameter]
    public ProviderKind Provider { get; set; } = ProviderKind.WaveSpeed;

    /// <summary>The API root, e.g. a gateway or the local emulator.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>A proxy for every request.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for -Proxy.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>The most tasks not yet final at once.</summary>
    [Parameter]
    [ValidateRange(0, 100000)]
    public int MaxTasksInFlight { get; set; }

    /// <summary>Write the connection's settings (never the key).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var credential = ApiCredential.Resolve(ApiKey, null, Provider);
        if (credential is null)
        {
            ThrowTerminatingError(ErrorRecords.From(ApiCredential.Missing(Provider), null));
        }
        var options = new ConnectionOptions
        {
            Provider = Provider,
            BaseUri = BaseUri ?? ConnectionOptions.DefaultBaseUri(Provider),
            Credential = credential,
            MaxTasksInFlight = MaxTasksInFlight,
        };
        if (Proxy is not null)
        {
            options.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
        }
        try
        {
            RunspaceSession.Current.Connect(options);
        }
        catch (GptImageException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, BaseUri));
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
