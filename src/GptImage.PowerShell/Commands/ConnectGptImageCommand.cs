using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Providers;

namespace GptImage.Commands;

/// <summary>
/// Sets the session's connection: who it signs in as (a key, or on Azure OpenAI a managed identity or an access token),
/// the endpoint, Azure OpenAI's deployments, proxy and concurrency.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "GptImage", DefaultParameterSetName = KeySet)]
[OutputType(typeof(GptImageConnectionInfo))]
public sealed class ConnectGptImageCommand : PSCmdlet
{
    private const string KeySet = "ApiKey";
    private const string IdentitySet = "Identity";
    private const string TokenSet = "AccessToken";

    /// <summary>The API key.</summary>
    [Parameter(Position = 0, ParameterSetName = KeySet)]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>Azure OpenAI: sign in as the managed identity of the Automation account, app or function (IDENTITY_ENDPOINT).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
    public SwitchParameter Identity { get; set; }

    /// <summary>Azure OpenAI with -Identity: the client id of a user-assigned managed identity.</summary>
    [Parameter(ParameterSetName = IdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? IdentityClientId { get; set; }

    /// <summary>Azure OpenAI: a Microsoft Entra ID access token for https://cognitiveservices.azure.com, got elsewhere.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [SecureStringTransformation]
    public SecureString? AccessToken { get; set; }

    /// <summary>Azure OpenAI: the deployment of every model, or a hashtable from model name to deployment.</summary>
    [Parameter]
    [DeploymentTransformation]
    [ValidateNotNull]
    public IDictionary? Deployment { get; set; }

    /// <summary>Azure OpenAI: the api-version of every request.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ApiVersion { get; set; }

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
        ConnectionOptions options;
        string keySource;
        try
        {
            (var credential, keySource) = SignIn();
            options = new ConnectionOptions
            {
                Provider = Provider,
                BaseUri = BaseUri ?? ConnectionOptions.DefaultBaseUri(Provider),
                Credential = credential,
                MaxTasksInFlight = MaxTasksInFlight,
                Azure = Provider != ProviderKind.AzureOpenAI ? null
                    : new AzureDeployments(Deployment is null ? null : PowerShellValues.StringMap(Deployment, nameof(Deployment)),
                        ApiVersion ?? Environment.GetEnvironmentVariable(AzureDeployments.ApiVersionVariable)),
            };
            if (Proxy is not null)
            {
                options.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
            }
            RunspaceSession.Current.Connect(options);
        }
        catch (GptImageException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, BaseUri));
            return;
        }
        WriteVerbose($"Connected to {options.Provider} at {options.BaseUri} ({Describe(keySource, options.Credential)})" +
            (options.Azure is { } deployments ? $", deployments: {deployments}, api-version {deployments.ApiVersion}." : "."));
        if (PassThru)
        {
            WriteObject(new GptImageConnectionInfo
            {
                Provider = options.Provider,
                BaseUri = options.BaseUri,
                KeySource = keySource,
                Proxy = Proxy,
                MaxTasksInFlight = MaxTasksInFlight,
                Deployment = options.Azure?.ToString(),
                ApiVersion = options.Azure?.ApiVersion,
            });
        }
    }

    /// <summary>Who the connection signs in as, and where that came from (never the secret itself).</summary>
    private (ApiCredential Credential, string Source) SignIn()
    {
        var azureOnly = Identity ? "-Identity" : AccessToken is not null ? "-AccessToken" : Deployment is not null ? "-Deployment" : ApiVersion is not null ? "-ApiVersion" : null;
        if (azureOnly is not null && Provider != ProviderKind.AzureOpenAI)
        {
            throw GptImageException.InvalidParameter(azureOnly.TrimStart('-'), $"{azureOnly} is taken by -Provider AzureOpenAI only, not {Provider}.");
        }
        if (Identity) { return (ManagedIdentityToken.FromPlatform(IdentityClientId), "ManagedIdentity"); }
        if (AccessToken is not null) { return (ApiCredential.FromSecureString(AccessToken, isToken: true), "AccessToken"); }
        var key = ApiCredential.Resolve(ApiKey, null, Provider) ?? throw ApiCredential.Missing(Provider);
        return (key, ApiKey is null ? "Environment" : "Parameter");
    }

    private static string Describe(string source, ApiCredential? credential) => source switch
    {
        "ManagedIdentity" => credential?.ToString() ?? "managed identity",
        "AccessToken" => "access token from -AccessToken",
        "Parameter" => "key from -ApiKey",
        _ => "key from the environment",
    };
}
