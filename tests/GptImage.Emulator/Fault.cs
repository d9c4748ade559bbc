using System.Globalization;

namespace GptImage.Emulator;

/// <summary>What goes wrong with one request: from the <c>X-Emulator-Fault</c> header or the configured dice.</summary>
internal sealed class Fault
{
    public int Status { get; set; }
    public string? RetryAfter { get; set; }
    public string? RetryAfterMs { get; set; }
    public bool Reset { get; set; }
    public bool Malformed { get; set; }
    public bool Truncate { get; set; }
    public bool Trickle { get; set; }
    public bool Expired { get; set; }
    public int LatencyMs { get; set; }

    public static readonly Fault None = new();

    /// <summary>
    /// Parses <c>429;retry-after=2</c>, <c>503</c>, <c>reset</c>, <c>malformed</c>, <c>truncate</c>, <c>trickle</c>,
    /// <c>expired</c>, <c>latency=300</c>, <c>retry-after-ms=250</c>, <c>retry-after-date=3</c>; separated by ',' or ';'.
    /// </summary>
    public static Fault Parse(string header)
    {
        var fault = new Fault();
        foreach (var raw in header.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            var name = parts[0].ToLowerInvariant();
            var value = parts.Length > 1 ? parts[1] : null;
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                fault.Status = status;
                continue;
            }
            switch (name)
            {
                case "retry-after": fault.RetryAfter = value ?? "1"; break;
                case "retry-after-ms": fault.RetryAfterMs = value ?? "100"; break;
                case "retry-after-date":
                    var seconds = int.Parse(value ?? "1", CultureInfo.InvariantCulture);
                    fault.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case "reset": fault.Reset = true; break;
                case "malformed": fault.Malformed = true; break;
                case "truncate": fault.Truncate = true; break;
                case "trickle": fault.Trickle = true; break;
                case "expired": fault.Expired = true; break;
                case "latency": fault.LatencyMs = int.Parse(value ?? "0", CultureInfo.InvariantCulture); break;
                default: break;
            }
        }
        return fault;
    }
}
