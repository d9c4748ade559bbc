using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace GptImage.Http;

/// <summary>
/// An API key. It is only ever turned into text to build an Authorization header; ToString never shows it,
/// and <see cref="Redact"/> scrubs it from any text that is about to be shown or kept.
/// </summary>
internal sealed class ApiCredential
{
    private readonly string _key;

    /// <summary>Wraps a plain key.</summary>
    public ApiCredential(string key)
    {
        if (string.IsNullOrWhiteSpace(key)) { throw new ArgumentException("The API key is empty.", nameof(key)); }
        _key = key.Trim();
    }

    /// <summary>Wraps a SecureString key (from Get-Secret or Read-Host -AsSecureString).</summary>
    public static ApiCredential FromSecureString(SecureString key)
    {
        if (key is null) { throw new ArgumentNullException(nameof(key)); }
        var ptr = IntPtr.Zero;
        try
        {
            ptr = Marshal.SecureStringToGlobalAllocUnicode(key);
            return new ApiCredential(Marshal.PtrToStringUni(ptr) ?? string.Empty);
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
        _ => "WAVESPEED_API_KEY",
    };

    /// <summary>No key is known for <paramref name="provider"/>: the one error saying how to give one.</summary>
    public static GptImageException Missing(ProviderKind provider) =>
        new(GptImageErrorKind.AuthenticationFailed,
            $"No API key for {provider}. Pass -ApiKey, run Connect-GptImage -ApiKey (Get-Secret {provider}), or set the {Variable(provider)} environment variable.")
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

    internal string AuthorizationParameter => _key;

    /// <summary>The key masked: first 3 characters and its length, e.g. <c>abc…(32)</c>.</summary>
    public string Masked => _key.Length <= 6 ? "***" : _key.Substring(0, 3) + "…(" + _key.Length + ")";

    /// <summary>
    /// Replaces every occurrence of the key in <paramref name="text"/> with ***: written plainly, and in JSON or
    /// URL escaped form (<c>sk\u002d…</c>, <c>sk%2D…</c>), where any character may be escaped.
    /// </summary>
    public string Redact(string text) =>
        string.IsNullOrEmpty(text) ? text : (_pattern ??= EscapedForms(_key)).Replace(text, "***");

    private Regex? _pattern;

    /// <summary>The key with each character as itself, a JSON \uXXXX escape or a URL %XX escape.</summary>
    private static Regex EscapedForms(string key)
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
    internal int LongestForm => _key.Length * 6;

    /// <inheritdoc />
    public override string ToString() => Masked;
}
