using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http.Auth;
using GptImage.Http.Retry;
using GptImage.Http;

namespace GptImage.Providers;

/// <summary>
/// Tokens of a managed identity for Azure OpenAI, asked of the endpoint the platform gives a sandbox — the
/// <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> protocol of Azure Automation, App Service and Functions
/// (learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference; Azure Automation:
/// learn.microsoft.com/azure/automation/enable-managed-identity-for-automation): <c>GET {IDENTITY_ENDPOINT}?resource=…
/// &amp;api-version=2019-08-01[&amp;client_id=…]</c> with the header <c>X-IDENTITY-HEADER</c>, answered with
/// <c>access_token</c> and <c>expires_on</c> (seconds since 1970). No Azure SDK assembly is loaded: Az.Accounts in the
/// same session ships its own, and two copies beside each other is the classic assembly conflict.
/// </summary>
internal sealed class ManagedIdentityToken : RenewingToken
{
    /// <summary>The resource tokens are asked for (scope https://cognitiveservices.azure.com/.default).</summary>
    public const string Resource = "https://cognitiveservices.azure.com";
    /// <summary>The protocol's version, as Azure.Identity asks it of App Service and Automation.</summary>
    public const string ProtocolVersion = "2019-08-01";
    public const string EndpointVariable = "IDENTITY_ENDPOINT";
    public const string HeaderVariable = "IDENTITY_HEADER";
    private const int MaxTokenChars = 16 * 1024;

    private readonly ApiTransport _transport;
    private readonly string _header;
    private readonly string? _clientId;

    /// <summary>A source asking <paramref name="endpoint"/> for tokens; <paramref name="handler"/> replaces the network stack (tests).</summary>
    public ManagedIdentityToken(Uri endpoint, string header, string? clientId, HttpMessageHandler? handler = null)
    {
        if (string.IsNullOrWhiteSpace(header)) { throw new ArgumentException("The identity header is empty.", nameof(header)); }
        _header = header.Trim();
        _clientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId!.Trim();
        // The header's secret is redacted like a key (it is never sent as one: authorize is off for these requests).
        var options = new TransportOptions { Provider = ProviderKind.AzureOpenAI, BaseUri = endpoint, Credential = new ApiCredential(_header), RequestTimeout = TimeSpan.FromSeconds(30) };
        // The platform's endpoint is plain http inside the sandbox: on this machine (Automation, Windows App Service) or at a
        // link-local address of the host (Linux App Service and Functions containers); never across a network.
        if (!endpoint.IsAbsoluteUri || !(endpoint.Scheme == Uri.UriSchemeHttps
            || (endpoint.Scheme == Uri.UriSchemeHttp && (TransportOptions.IsLoopback(endpoint) || IsLinkLocal(endpoint)))))
        {
            throw GptImageException.InvalidParameter("Identity",
                $"{EndpointVariable} is '{Untrusted.Text(endpoint.GetLeftPart(UriPartial.Path))}': the identity endpoint is asked over https, or over http on this machine or at a link-local address (169.254.0.0/16) only.");
        }
        _transport = new ApiTransport(options, ApiHttpClient.Create(options, handler));
    }

    /// <summary>
    /// The source the environment describes, for a user-assigned identity when <paramref name="clientId"/> is given; an
    /// error saying where -Identity works when the variables are not set.
    /// </summary>
    public static ManagedIdentityToken FromPlatform(string? clientId)
    {
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        var header = Environment.GetEnvironmentVariable(HeaderVariable);
        if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(header))
        {
            throw new GptImageException(GptImageErrorKind.AuthenticationFailed,
                $"-Identity needs a managed identity endpoint: {EndpointVariable} and {HeaderVariable} are not set. Azure Automation, App Service and " +
                "Functions set them where a managed identity is enabled; elsewhere pass -ApiKey or -AccessToken.")
            {
                ErrorId = GptImageException.MissingApiKeyId,
                RecommendedAction = "Enable a managed identity for the Automation account (or app), or pass -ApiKey or -AccessToken.",
            };
        }
        if (!Uri.TryCreate(endpoint!.Trim(), UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            throw GptImageException.InvalidParameter("Identity", $"{EndpointVariable} is not an absolute http(s) URL.");
        }
        return new ManagedIdentityToken(uri, header!, clientId);
    }

    private static bool IsLinkLocal(Uri uri) =>
        System.Net.IPAddress.TryParse(uri.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && ip.GetAddressBytes() is var bytes && bytes[0] == 169 && bytes[1] == 254;

    /// <summary>The client id of a user-assigned identity, or null for the system-assigned one.</summary>
    public string? ClientId => _clientId;

    /// <inheritdoc />
    protected override IEnumerable<string> Secrets => new[] { _header };

    /// <inheritdoc />
    protected override async Task<(string Token, DateTimeOffset ExpiresOn)> FetchAsync(CancellationToken cancellationToken)
    {
        var url = _transport.Url.Query("resource", Resource).Query("api-version", ProtocolVersion);
        if (_clientId is not null) { url = url.Query("client_id", _clientId); }
        var uri = url.ToUri();
        _transport.Log(() => $"Asking the managed identity endpoint for a token for {Resource}{(_clientId is null ? string.Empty : " (user-assigned identity " + _clientId + ")")}");
        try
        {
            return await _transport.SendAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Add("X-IDENTITY-HEADER", _header);
                    return request;
                }, RetryMode.Idempotent, async response =>
                {
                    await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
                    using var stream = await response.ReadBodyAsync().ConfigureAwait(false);
                    using var answer = await JsonDocument.ParseAsync(stream, default, response.Token).ConfigureAwait(false);
                    return Read(answer.RootElement, Now());
                }, cancellationToken, authorize: false).ConfigureAwait(false);
        }
        catch (Exception e) when (e is GptImageException or JsonException)
        {
            // Its own refusal is said as such: the stand-in credential of these requests would call it a refused API key.
            var reason = e is GptImageException { Kind: GptImageErrorKind.AuthenticationFailed or GptImageErrorKind.Forbidden, StatusCode: { } status }
                ? $"it refused the request ({status})." : _transport.Redact(e.Message);
            throw new GptImageException(GptImageErrorKind.AuthenticationFailed,
                $"The managed identity endpoint gave no token for {Resource}: {reason}" +
                (_clientId is null ? " Is a system-assigned identity enabled?" : $" Is the identity {_clientId} assigned here?"), innerException: e)
            {
                RecommendedAction = "Check the managed identity of the Automation account (or app); with a user-assigned one, give its client id with -IdentityClientId.",
            };
        }
    }

    /// <summary>The token and its expiry from an answer, every field checked: it is untrusted like every answer.</summary>
    internal static (string Token, DateTimeOffset ExpiresOn) Read(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var value) || value.ValueKind != JsonValueKind.String
            || value.GetString() is not { Length: > 0 and <= MaxTokenChars } token || !IsTokenText(token))
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, "The answer holds no usable access_token.");
        }
        var expiresOn = JsonFields.UnixTime(root, "expires_on")
            ?? (JsonFields.Seconds(root, "expires_in") is { } life ? now.AddSeconds(life) : (DateTimeOffset?)null)
            ?? throw new GptImageException(GptImageErrorKind.InvalidResponse, "The answer says neither expires_on nor expires_in.");
        if (expiresOn <= now)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, "The answer's token has already expired (expires_on is past): the clock of the endpoint or of this machine is off.");
        }
        return (token, expiresOn);
    }

    /// <summary>A token goes into a header: visible ASCII only (a JWT's characters), nothing that could end or split it.</summary>
    private static bool IsTokenText(string token)
    {
        foreach (var c in token) { if (c is <= ' ' or > '~') { return false; } }
        return true;
    }

    /// <inheritdoc />
    public override string Refused(ProviderKind provider, int status, string message) =>
        $"{provider} refused the managed identity's token ({status}: {message}), a newly fetched one too. Give the identity a role that may use " +
        "the deployments (Cognitive Services OpenAI User) on the resource.";

    /// <inheritdoc />
    public override string ToString() => _clientId is null ? "managed identity (system-assigned)" : $"managed identity ({_clientId})";
}
