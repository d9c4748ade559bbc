// GptImage benchmarks. Usage:
//   dotnet run -c Release --project bench/GptImage.Benchmarks -- [all|batch|ratelimited|overhead|lag|memory|pwsh|first|bdn]
// Each scenario prints its figures and its ratio against the target of the benchmark issue;
// "pwsh" runs the cmdlets in dotnet pwsh (build the module first: ./build.ps1);
// "first" times Import-Module and the first batch of a fresh session (options in PwshScenario.FirstBatchAsync);
// "bdn" runs the BenchmarkDotNet micro-benchmark of base64 decoding.
using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using GptImage.Benchmarks;

var what = args.Length > 0 ? args[0].ToLowerInvariant() : "all";
if (what == "bdn")
{
    BenchmarkRunner.Run<Base64Benchmarks>(args: args.Skip(1).ToArray());
    return 0;
}
Console.WriteLine($"GptImage benchmarks on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (what == "first")
{
    try { await PwshScenario.FirstBatchAsync(args.Skip(1).ToArray()); }
    finally
    {
        var folder = Path.Combine(Path.GetTempPath(), "gptimage-bench");
        if (Directory.Exists(folder)) { Directory.Delete(folder, recursive: true); }
    }
    return 0;
}
var scenarios = new (string Name, Func<Task> Run)[]
{
    ("batch", Scenarios.BatchAsync),
    ("ratelimited", Scenarios.RateLimitedAsync),
    ("overhead", Scenarios.OverheadAsync),
    ("lag", Scenarios.LagAsync),
    ("memory", Scenarios.MemoryAsync),
    ("pwsh", PwshScenario.RunAsync),
};
try
{
    foreach (var (name, run) in scenarios.Where(s => what == "all" || s.Name == what))
    {
        var watch = Stopwatch.StartNew();
        await run();
        Console.WriteLine($"   ({name} ran in {watch.Elapsed.TotalSeconds:0} s)");
    }
}
finally
{
    // The images written by the scenarios (a gigabyte or so) are not kept.
    var written = Path.Combine(Path.GetTempPath(), "gptimage-bench");
    if (Directory.Exists(written)) { Directory.Delete(written, recursive: true); }
}
return 0;
