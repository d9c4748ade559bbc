using System.Globalization;

namespace GptImage.Emulator;

/// <summary>Per-task behaviour asked for at submit with the <c>X-Emulator-Task</c> header.</summary>
internal sealed class TaskBehaviour
{
    public const string HeaderName = "X-Emulator-Task";
    public int? FailCode { get; set; }
    public int? LatencyMs { get; set; }
    public bool Nsfw { get; set; }
    /// <summary>Accept body fields the model's page does not list (to see -AdditionalParameter arrive).</summary>
    public bool ExtraFields { get; set; }
    public SyncTimeoutAnswer? SyncTimeout { get; set; }
    /// <summary>An Images API stream ends half-way through the event after this many partial images.</summary>
    public int? StreamCut { get; set; }
    /// <summary>Fault applied to every download of this task's outputs.</summary>
    public Fault? OutputFault { get; set; }

    /// <summary>The settings inside a <c>[emulator:fail=1200;latency=500]</c> marker of a prompt, or "".</summary>
    public static string PromptMarker(string? prompt)
    {
        var match = System.Text.RegularExpressions.Regex.Match(prompt ?? "", @"\[emulator:([^\]]*)\]");
        return match.Success ? match.Groups[1].Value : "";
    }

    /// <summary>The behaviour a submit asks for: its X-Emulator-Task header, then its prompt's [emulator:...] marker.</summary>
    public static TaskBehaviour Of(HttpRequest request, string? prompt) =>
        Parse(request.Headers[HeaderName].ToString() + ";" + PromptMarker(prompt));

    /// <summary>Parses <c>fail=1200; latency=500; nsfw; extra-fields; sync-timeout=504|5004; output=expired|truncate|trickle|reset; stream-cut=N</c>.</summary>
    public static TaskBehaviour Parse(string? header)
    {
        var behaviour = new TaskBehaviour();
        if (string.IsNullOrWhiteSpace(header)) { return behaviour; }
        foreach (var raw in header.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            var value = parts.Length > 1 ? parts[1] : "";
            switch (parts[0].ToLowerInvariant())
            {
                case "fail": behaviour.FailCode = int.Parse(value.Length == 0 ? "1403" : value, CultureInfo.InvariantCulture); break;
                case "latency": behaviour.LatencyMs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "nsfw": behaviour.Nsfw = true; break;
                case "extra-fields": behaviour.ExtraFields = true; break;
                case "sync-timeout": behaviour.SyncTimeout = value == "504" ? SyncTimeoutAnswer.GatewayTimeout : SyncTimeoutAnswer.Code5004; break;
                case "output": behaviour.OutputFault = Fault.Parse(value); break;
                case "stream-cut": behaviour.StreamCut = int.Parse(value.Length == 0 ? "1" : value, CultureInfo.InvariantCulture); break;
                default: break;
            }
        }
        return behaviour;
    }
}
