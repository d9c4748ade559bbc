using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GptImage.Http;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// WaveSpeed's webhook signature: headers <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and
/// <c>webhook-signature: v3,&lt;hex&gt;</c>; the hex HMAC-SHA256 of <c>"{id}.{timestamp}.{raw body}"</c>, keyed by the
/// secret without its <c>whsec_</c> prefix (used as-is, not base64-decoded). Older than five minutes is refused.
/// A delivery is answered valid or not, with a reason: nothing a sender puts in the headers can make it throw.
/// </summary>
internal static class WebhookSignature
{
    /// <summary>The age beyond which a delivery is refused (the service's WebhookMaxAgeSeconds).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The fewest bytes of key a secret must carry after its prefix: a shorter key (<c>whsec_</c> alone is none at all)
    /// signs deliveries anyone can forge.
    /// </summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>
    /// Checks a delivery. <paramref name="headers"/> are matched without regard to case; <paramref name="body"/> is
    /// the raw body exactly as received (a re-serialized body does not verify). A delivery is accepted again within
    /// the tolerance unless <paramref name="seenIds"/> is given: the caller keeps it, a valid delivery's webhook-id is
    /// added to it, and a delivery whose id it already holds is refused as a replay.
    /// </summary>
    public static WebhookVerification Verify(IReadOnlyDictionary<string, string> headers, byte[] body, string secret, DateTimeOffset now, TimeSpan? tolerance = null,
        ICollection<string>? seenIds = null)
    {
        if (headers is null) { throw new ArgumentNullException(nameof(headers)); }
        if (body is null) { throw new ArgumentNullException(nameof(body)); }
        var key = Key(secret);
        if (seenIds is { IsReadOnly: true })
        {
            throw GptImageException.InvalidParameter("SeenId",
                "The collection of webhook ids seen cannot be added to; give one the caller keeps, such as [System.Collections.Generic.HashSet[string]]::new().");
        }
        string? Header(string name)
        {
            foreach (var pair in headers)
            {
                if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)) { return pair.Value?.Trim(); }
            }
            return null;
        }
        var id = Header("webhook-id");
        var timestamp = Header("webhook-timestamp");
        var signature = Header("webhook-signature");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return new(false, "The webhook-id, webhook-timestamp and webhook-signature headers are required.");
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return new(false, "webhook-timestamp is not a Unix time in seconds.");
        }
        if (seconds > LatestUnixSeconds)
        {
            return new(false, "webhook-timestamp is past the year 9999, out of the range of a time.");
        }
        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        var limit = tolerance ?? DefaultTolerance;
        if (age > limit || age < -limit)
        {
            return new(false, $"webhook-timestamp is {Math.Abs(age.TotalSeconds):0} s {(age < TimeSpan.Zero ? "in the future" : "old")}; at most {limit.TotalSeconds:0} s is accepted (replays are refused).");
        }
        var prefix = Encoding.UTF8.GetBytes(id + "." + timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        Buffer.BlockCopy(prefix, 0, signed, 0, prefix.Length);
        Buffer.BlockCopy(body, 0, signed, prefix.Length, body.Length);
        byte[] expected;
        using (var hmac = new HMACSHA256(key)) { expected = hmac.ComputeHash(signed); }
        // Several signatures may be sent (space-separated) while a secret rotates: any v3 one that matches will do.
        foreach (var candidate in signature!.Split(Space, StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',');
            if (comma < 0 || candidate.Substring(0, comma) != "v3") { continue; }
            if (FromHex(candidate.Substring(comma + 1)) is { } given && FixedTimeEquals(given, expected))
            {
                return Unseen(id!, seenIds);
            }
        }
        return new(false, "No v3 signature matches the body: it was altered, or signed with another secret.");
    }

    /// <summary>The last second a DateTimeOffset can hold (9999-12-31T23:59:59Z).</summary>
    private static readonly long LatestUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// The HMAC key of a secret: what follows <c>whsec_</c> (or the whole secret without it), as UTF-8. A secret with
    /// fewer than <see cref="MinimumKeyBytes"/> bytes of key is refused (InvalidParameter naming -Secret); the message
    /// never holds the secret.
    /// </summary>
    internal static byte[] Key(string? secret)
    {
        var material = secret is null ? string.Empty
            : secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret.Substring(6) : secret;
        var length = Encoding.UTF8.GetByteCount(material.Trim());
        if (length < MinimumKeyBytes)
        {
            throw GptImageException.InvalidParameter("Secret",
                $"The webhook secret carries {length} bytes of key after its whsec_ prefix; at least {MinimumKeyBytes} are needed, or anyone could sign a delivery. " +
                "Give the secret Get-GptImageWebhookSecret returns.");
        }
        return Encoding.UTF8.GetBytes(material);
    }

    /// <summary>A delivery whose signature and time are right: valid, unless its id is one already seen (then a replay).</summary>
    private static WebhookVerification Unseen(string id, ICollection<string>? seenIds)
    {
        if (seenIds is null) { return new(true, "The signature matches and the timestamp is recent."); }
        // Locked on the collection itself, so two receivers sharing one set cannot both take the same id as new.
        lock (seenIds)
        {
            if (seenIds.Contains(id))
            {
                return new(false, $"webhook-id '{Untrusted.Text(id)}' was seen before: the delivery is a replay (or a retry of one already handled).");
            }
            seenIds.Add(id);
        }
        return new(true, "The signature matches, the timestamp is recent and the webhook-id is new.");
    }

    private static readonly char[] Space = { ' ' };

    private static byte[]? FromHex(string hex)
    {
        if (hex.Length % 2 != 0) { return null; }
        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            var high = Nibble(hex[2 * i]);
            var low = Nibble(hex[(2 * i) + 1]);
            if (high < 0 || low < 0) { return null; }
            bytes[i] = (byte)((high << 4) | low);
        }
        return bytes;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Compares in time that depends only on the length, so a forger learns nothing from how long a refusal takes.</summary>
    internal static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) { return false; }
        var difference = 0;
        for (var i = 0; i < a.Length; i++) { difference |= a[i] ^ b[i]; }
        return difference == 0;
    }
}
