using System;
using GptImage.Files;

namespace GptImage.Operations;

/// <summary>What New-, Edit-, Wait- and Save- share: waiting, saving and how often the progress bar is redrawn.</summary>
internal sealed record WaitSettings
{
    /// <summary>-Wait (Wait- and Save- always wait).</summary>
    public bool Wait { get; init; }
    /// <summary>-TimeoutSec: everything one input does must end within it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Where outputs are saved; null to not save.</summary>
    public SaveOptions? Save { get; init; }
    /// <summary>How often the progress bar is refreshed while waiting (the host draws only what arrives).</summary>
    public TimeSpan ProgressRefresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether each task is waited on: asked for, or implied by saving (the one place this is decided).</summary>
    public bool Waits => Wait || Save is not null;
}
