using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Http.Auth;

/// <summary>
/// Who requests are sent as: an API key, or an access token given by the user (<see cref="IsToken"/>); a source of
/// tokens that renews them derives from <see cref="RenewingToken"/>. The secret is only ever turned into text to build
/// the request's header (<see cref="Apply"/>); ToString never shows it, and <see cref="Redact"/> scrubs it from any
/// text that is about to be shown or kept.
/// </summary>
internal class ApiCredential
{
    private readonly string _key;

    /// <summary>Wraps a plain key, or with <paramref name="isToken"/> an access token (always sent as a bearer token).</summary>
    public ApiCredential(string key, bool isToken = false)
    {
        if (string.IsNullOrWhiteSpace(key)) { throw new ArgumentException(isToken ? "The access token is empty." : "The API key is empty.", nameof(key)); }
        _key = key.Trim();
        IsToken = isToken;
    }

    /// <summary>For a source of tokens: it holds no secret of its own.</summary>
    protected ApiCredential() => _key = string.Empty;

    /// <summary>Whether the secret is an access token (Microsoft Entra ID) rather than an API key.</summary>
    public bool IsToken { get; }

    /// <summary>
    /// Sets the request's header: a token as <c>Authorization: Bearer</c>; a key as Azure OpenAI's <c>api-key</c> header
    /// on that provider, else as a bearer token.
    /// </summary>
    public void Apply(HttpRequestMessage request, ProviderKind provider)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }
        if (!IsToken && provider == ProviderKind.AzureOpenAI) { request.Headers.Add("api-key", AuthorizationParameter); }
        else { request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AuthorizationParameter); }
    }

    /// <summary>The secret as the header carries it.</summary>
    internal string AuthorizationParameter => _key;

    /// <summary>The secret a request is sent with now: this one, or for a source of tokens a token valid for a while yet.</summary>
    /// <remarks><paramref name="log"/> hears when a new token is fetched (-Verbose); it never hears a secret.</remarks>
    public virtual Task<ApiCredential> CurrentAsync(CancellationToken cancellationToken, Action<string>? log = null) => Task.FromResult(this);

    /// <summary>Whether a secret refused with 401 can be replaced by a new one (a source of tokens); a key or a given token cannot.</summary>
    public virtual bool CanRenew => false;

    /// <summary>
    /// After <paramref name="refused"/> was answered 401: makes a new secret current (throws when none can be had), so the
    /// request can be sent once more: a 401 proves nothing was done. Only where <see cref="CanRenew"/>.
    /// </summary>
    public virtual Task RenewAsync(ApiCredential refused, CancellationToken cancellationToken, Action<string>? log = null) =>
        throw new NotSupportedException("A key or a given token cannot be renewed.");

    /// <summary>What the service refusing this credential means, and what to do: the text of the AuthenticationFailed error.</summary>
    public virtual string Refused(ProviderKind provider, int status, string message) => IsToken
        ? $"{provider} refused the access token given with -AccessToken ({status}: {message}). Tokens live about an hour: get a new one " +
          "(Get-AzAccessToken -ResourceUrl https://cognitiveservices.azure.com -AsSecureString) and pass it again (Connect-GptImage -AccessToken)."
        : $"The service refused the API key ({status}): {message}";

    /// <summary>Wraps a SecureString key (from Get-Secret or Read-Host -AsSecureString), or an access token.</summary>
    public static ApiCredential FromSecureString(SecureString key, bool isToken = false)
    {
        if (key is null) { throw new ArgumentNullException(nameof(key)); }
        var ptr = IntPtr.Zero;
        try
        {
            ptr = Marshal.SecureStringToGlobalAllocUnicode(key);
            return new ApiCredential(Marshal.PtrToStringUni(ptr) ?? string.Empty, isToken);
        }
        finally
        {
            if (ptr != IntPtr.Zero) { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }
    }

    /// <summary>
    /// The key a call uses, worked out in this one place: the call's own key (-ApiKey), else the connection's
    /// (Connect-GptImage), else the provider's environment variable; null when none is known.
    /// </summary>
    public static ApiCredential? Resolve(SecureString? callKey, ApiCredential? connectionKey, ProviderKind provider) =>
        (callKey is { Length: > 0 } ? FromSecureString(callKey) : null)
        ?? connectionKey
        ?? FromEnvironment(Variable(provider));

    /// <summary>The environment variable a provider's key is read from when none is given.</summary>
    public static string Variable(ProviderKind provider) => provider switch
    {
        ProviderKind.AimlApi => "AIMLAPI_API_KEY",
        ProviderKind.OpenAI => "OPENAI_API_KEY",
        ProviderKind.AzureOpenAI => "AZURE_OPENAI_API_KEY",
        _ => "WAVESPEED_API_KEY",
    };

    /// <summary>No key is known for <paramref name="provider"/>: the one error saying how to give one.</summary>
    public static GptImageException Missing(ProviderKind provider) =>
        new(GptImageErrorKind.AuthenticationFailed,
            $"No API key for {provider}. Pass -ApiKey, run Connect-GptImage -ApiKey (Get-Secret {provider}), or set the {Variable(provider)} environment variable" +
            (provider == ProviderKind.AzureOpenAI ? "; or sign in without a key: Connect-GptImage -Provider AzureOpenAI -Identity (a managed identity) or -AccessToken." : "."))
        {
            ErrorId = GptImageException.MissingApiKeyId,
            RecommendedAction = $"Connect-GptImage -ApiKey (Get-Secret {provider}), or set {Variable(provider)}.",
        };

    /// <summary>The key from an environment variable, or null when it is not set.</summary>
    public static ApiCredential? FromEnvironment(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : new ApiCredential(value!);
    }

    /// <summary>The key masked: first 3 characters and its length, e.g. <c>abc…(32)</c>.</summary>
    public virtual string Masked => _key.Length <= 6 ? "***" : _key.Substring(0, 3) + "…(" + _key.Length + ")";

    /// <summary>
    /// Replaces every occurrence of the key in <paramref name="text"/> with ***: written plainly, and in JSON or
    /// URL escaped form (<c>sk\u002d…</c>, <c>sk%2D…</c>), where any character may be escaped.
    /// </summary>
    public virtual string Redact(string text) =>
        string.IsNullOrEmpty(text) ? text : (_pattern ??= EscapedForms(_key)).Replace(text, "***");

    private Regex? _pattern;

    /// <summary>The key with each character as itself, a JSON \uXXXX escape or a URL %XX escape.</summary>
    internal static Regex EscapedForms(string key)
    {
        var pattern = new StringBuilder();
        foreach (var c in key)
        {
            var code = ((int)c).ToString("x4", CultureInfo.InvariantCulture);
            pattern.Append("(?:").Append(Regex.Escape(c.ToString())).Append(@"|\\u").Append(code);
            if (c < 0x80) { pattern.Append("|%").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); }
            pattern.Append(')');
        }
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>How many characters the key can take at most in a text, escaped (for reading past a cut before redacting).</summary>
    internal virtual int LongestForm => _key.Length * 6;

    /// <inheritdoc />
    public override string ToString() => Masked;
}
