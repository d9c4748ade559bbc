using System;
using System.Collections.Generic;

namespace GptImage.Journal;

/// <summary>
/// One paid task in the <see cref="TaskJournal"/>: what is needed to find it again and nothing secret: its id,
/// provider and model, a SHA-256 digest of its prompt (never the prompt), where its outputs were to go, when it was
/// accepted, and for a synchronous provider the kept outputs (file: URIs in GptImage's private folder).
/// </summary>
internal sealed record JournalEntry
{
    /// <summary>The task's id.</summary>
    public string Id { get; init; } = string.Empty;
    /// <summary>The provider's name (ProviderKind).</summary>
    public string Provider { get; init; } = string.Empty;
    /// <summary>The model as predictions show it.</summary>
    public string Model { get; init; } = string.Empty;
    /// <summary>SHA-256 of the prompt's UTF-8 bytes, lower-case hex.</summary>
    public string PromptSha256 { get; init; } = string.Empty;
    /// <summary>The -OutputDirectory or -OutFile asked for, or null.</summary>
    public string? Destination { get; init; }
    /// <summary>When the service accepted it.</summary>
    public DateTimeOffset Time { get; init; }
    /// <summary>The outputs kept in the private folder (synchronous providers).</summary>
    public IReadOnlyList<string> Outputs { get; init; } = Array.Empty<string>();
}
