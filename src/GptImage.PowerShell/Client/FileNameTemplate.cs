using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace GptImage.Client;

/// <summary>
/// Output file names from a template with {id}, {index}, {source}, {model} and {date}; every value is
/// cleaned so a name can never leave its folder (no separators, no "..", no rooted path).
/// </summary>
public static class FileNameTemplate
{
    /// <summary>The template used when none is given: source name (for edits) or id, then the output index.</summary>
    public const string Default = "{source}{id}-{index}";

    private const int MaxNameLength = 120;
    private static readonly char[] Invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }).ToArray();

    /// <summary>Expands the template (without extension).</summary>
    public static string Expand(string? template, Prediction prediction, int index)
    {
        var source = prediction.SourcePath is { Length: > 0 } path ? Path.GetFileNameWithoutExtension(path) + "-" : string.Empty;
        var text = new StringBuilder(string.IsNullOrWhiteSpace(template) ? Default : template)
            .Replace("{id}", prediction.Id)
            .Replace("{index}", index.ToString(CultureInfo.InvariantCulture))
            .Replace("{source}", source)
            .Replace("{model}", prediction.Model)
            .Replace("{date}", (prediction.CreatedAt ?? DateTimeOffset.UtcNow).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))
            .ToString();
        return Clean(text);
    }

    /// <summary>Replaces anything that is not safe in a file name, on any OS.</summary>
    public static string Clean(string name)
    {
        var chars = name.Select(c => c < 32 || Invalid.Contains(c) ? '_' : c).ToArray();
        var clean = new string(chars).Trim().Trim('.');
        while (clean.Contains("..")) { clean = clean.Replace("..", "."); }
        if (clean.Length > MaxNameLength) { clean = clean.Substring(0, MaxNameLength); }
        return clean.Length == 0 ? "image" : clean;
    }
}
