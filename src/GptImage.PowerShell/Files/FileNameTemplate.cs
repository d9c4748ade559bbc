using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GptImage.Http;

namespace GptImage.Files;

/// <summary>
/// Output file names from a template with {id}, {index}, {source}, {model} and {date}; every value is
/// cleaned so a name can never leave its folder (no separators, no "..", no rooted path).
/// </summary>
internal static class FileNameTemplate
{
    /// <summary>The template used when none is given: source name (for edits) or id, then the output index.</summary>
    public const string Default = "{source}{id}-{index}";

    private const int MaxNameLength = 120;
    private static readonly char[] Invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }).ToArray();

    /// <summary>The placeholders a template may use (in any case).</summary>
    public static readonly IReadOnlyList<string> Placeholders = new[] { "id", "index", "source", "model", "date" };

    private static readonly Regex Placeholder = new(@"\{(\w+)\}", RegexOptions.CultureInvariant);

    /// <summary>Refuses a template with a placeholder that is not one of <see cref="Placeholders"/>.</summary>
    public static void Validate(string? template)
    {
        if (string.IsNullOrWhiteSpace(template)) { return; }
        foreach (Match match in Placeholder.Matches(template))
        {
            if (!Placeholders.Contains(match.Groups[1].Value, StringComparer.OrdinalIgnoreCase))
            {
                throw GptImageException.InvalidParameter("FileNameTemplate",
                    $"'{template}' has an unknown placeholder {match.Value}; use {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
            }
        }
    }

    /// <summary>Whether the template (or the default) uses <paramref name="placeholder"/>.</summary>
    public static bool Uses(string? template, string placeholder) =>
        (string.IsNullOrWhiteSpace(template) ? Default : template!).IndexOf("{" + placeholder + "}", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>Expands the template (without extension).</summary>
    public static string Expand(string? template, Prediction prediction, int index)
    {
        var source = prediction.SourcePath is { Length: > 0 } path ? Path.GetFileNameWithoutExtension(path) + "-" : string.Empty;
        var text = Placeholder.Replace(string.IsNullOrWhiteSpace(template) ? Default : template!, match => match.Groups[1].Value.ToLowerInvariant() switch
        {
            "id" => prediction.Id,
            "index" => index.ToString(CultureInfo.InvariantCulture),
            "source" => source,
            "model" => prediction.Model,
            "date" => (prediction.CreatedAt ?? DateTimeOffset.UtcNow).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            _ => match.Value,
        });
        return Clean(text);
    }

    /// <summary>Replaces anything that is not safe in a file name, on any OS.</summary>
    public static string Clean(string name)
    {
        // Server text (a model name, an id) may reach a name: the one text cleaner first, then what no file system takes.
        var chars = Untrusted.Text(name).Select(c => c < 32 || Invalid.Contains(c) ? '_' : c).ToArray();
        var clean = new string(chars).Trim().Trim('.');
        while (clean.Contains("..")) { clean = clean.Replace("..", "."); }
        if (clean.Length > MaxNameLength) { clean = clean.Substring(0, MaxNameLength); }
        return clean.Length == 0 ? "image" : clean;
    }
}
