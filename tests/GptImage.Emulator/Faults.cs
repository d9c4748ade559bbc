using System.Globalization;

namespace GptImage.Emulator;

internal enum EndpointKind { Submit, Result, Upload, Download, Images, Other }

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

/// <summary>Decides the fault of each request.</summary>
internal sealed class FaultInjector(EmulatorOptions options)
{
    public const string HeaderName = "X-Emulator-Fault";
    private readonly Random _random = new(options.Seed);
    private readonly Lock _lock = new();

    public Fault Decide(HttpContext context, EndpointKind kind)
    {
        if (context.Request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return Fault.Parse(header.ToString());
        }
        var rates = options.Faults.For(kind);
        if (rates.Total <= 0)
        {
            return Fault.None;
        }
        double roll;
        int pick;
        lock (_lock)
        {
            roll = _random.NextDouble();
            pick = _random.Next(3);
        }
        var fault = new Fault();
        if ((roll -= rates.RateLimit) < 0) { fault.Status = 429; }
        else if ((roll -= rates.RateLimitRetryAfter) < 0) { fault.Status = 429; fault.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture); }
        else if ((roll -= rates.ServerError) < 0) { fault.Status = pick switch { 0 => 500, 1 => 502, _ => 503 }; }
        else if ((roll -= rates.Reset) < 0) { fault.Reset = true; }
        else if ((roll -= rates.Malformed) < 0) { fault.Malformed = true; }
        else if ((roll -= rates.Truncate) < 0) { fault.Truncate = true; }
        else if ((roll -= rates.Trickle) < 0) { fault.Trickle = true; }
        else if ((roll -= rates.Expired) < 0) { fault.Expired = true; }
        else { return Fault.None; }
        return fault;
    }
}
