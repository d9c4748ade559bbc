using System;
using System.Collections.Generic;

namespace GptImage.Gallery;

/// <summary>
/// What the gallery shows of one prediction: plain data, taken from a live <see cref="Prediction"/> or
/// from one that went through Export-Clixml. Every text is shown encoded; nothing here is trusted.
/// </summary>
internal sealed class GalleryCard
{
    /// <summary>The prediction id.</summary>
    public string Id { get; init; } = string.Empty;
    /// <summary>WaveSpeed, AimlApi or OpenAI.</summary>
    public string? Provider { get; init; }
    /// <summary>The model name.</summary>
    public string? Model { get; init; }
    /// <summary>The prediction status (completed, failed…).</summary>
    public string Status { get; init; } = string.Empty;
    /// <summary>The prompt, when known.</summary>
    public string? Prompt { get; init; }
    /// <summary>The size asked for, when known.</summary>
    public string? Size { get; init; }
    /// <summary>The quality asked for, when known.</summary>
    public string? Quality { get; init; }
    /// <summary>The cost in US dollars, when known.</summary>
    public decimal? Usd { get; init; }
    /// <summary>When the service created the task.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The service's inference time.</summary>
    public TimeSpan? InferenceTime { get; init; }
    /// <summary>The failure text, for failed predictions.</summary>
    public string? Error { get; init; }
    /// <summary>The failure code, when given.</summary>
    public int? ErrorCode { get; init; }
    /// <summary>The local file an edit started from.</summary>
    public string? SourcePath { get; init; }
    /// <summary>Full paths of the saved images.</summary>
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();
}
