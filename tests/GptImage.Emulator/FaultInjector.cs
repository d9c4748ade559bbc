using System.Globalization;

namespace GptImage.Emulator;

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
