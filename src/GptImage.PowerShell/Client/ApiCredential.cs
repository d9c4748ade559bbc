using System;
using System.Runtime.InteropServices;
using System.Security;

namespace GptImage.Client;

/// <summary>
/// An API key. It is only ever turned into text to build an Authorization header; ToString never shows it,
/// and <see cref="Redact"/> scrubs it from any text that is about to be shown or kept.
/// </summary>
public sealed class ApiCredential
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

    /// <summary>The key from an environment variable, or null when it is not set.</summary>
    public static ApiCredential? FromEnvironment(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : new ApiCredential(value!);
    }

    internal string AuthorizationParameter => _key;

    /// <summary>The key masked: first 3 characters and its length, e.g. <c>abc…(32)</c>.</summary>
    public string Masked => _key.Length <= 6 ? "***" : _key.Substring(0, 3) + "…(" + _key.Length + ")";

    /// <summary>Replaces every occurrence of the key in <paramref name="text"/> with ***.</summary>
    public string Redact(string text) =>
        string.IsNullOrEmpty(text) ? text : text.Replace(_key, "***");

    /// <inheritdoc />
    public override string ToString() => Masked;
}
