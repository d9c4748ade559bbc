using System.Collections.Concurrent;

namespace GptImage.Emulator;

/// <summary>
/// The tokens the emulator's managed-identity endpoint issued, each with its expiry. Where
/// <see cref="EmulatorOptions.ExpireTokensAfter"/> says so, every token issued so far expires at that request (once):
/// tokens that expire mid-batch, earlier than their expires_on said, as a revoked or clock-skewed one does.
/// </summary>
internal sealed class IdentityTokens(EmulatorOptions options)
{
    private sealed class Issued(DateTimeOffset expires)
    {
        public DateTimeOffset Expires { get; } = expires;
        public volatile bool Revoked;
    }

    private readonly ConcurrentDictionary<string, Issued> _issued = new(StringComparer.Ordinal);
    private long _accepted;

    /// <summary>A new token and when it expires.</summary>
    public (string Token, DateTimeOffset Expires) Issue()
    {
        var token = "emu-mi-" + Guid.NewGuid().ToString("N");
        var expires = DateTimeOffset.UtcNow.AddSeconds(options.TokenLifetimeSec);
        _issued[token] = new Issued(expires);
        return (token, expires);
    }

    /// <summary>Whether a request signed with <paramref name="token"/> is let through.</summary>
    public bool Accept(string token)
    {
        if (!options.IdentityRoleAssigned || !_issued.TryGetValue(token, out var issued) || issued.Revoked || DateTimeOffset.UtcNow >= issued.Expires) { return false; }
        if (Interlocked.Increment(ref _accepted) != options.ExpireTokensAfter) { return true; }
        foreach (var held in _issued.Values) { held.Revoked = true; }
        return false;
    }
}
