using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace GptImage.Journal;

/// <summary>
/// The journal's format: one JSON object a line, an entry (<c>{"id":…,"provider":…}</c>) or a removal
/// (<c>{"removed":"id"}</c>). A line that does not parse (the torn last line of a write cut by a crash) is skipped,
/// and every line before and after it is kept.
/// </summary>
internal static class JournalLines
{
    /// <summary>The UTF-8 line (newline included) of <paramref name="entry"/>.</summary>
    public static byte[] Entry(JournalEntry entry) => Line(json =>
    {
        json.WriteString("id", entry.Id);
        json.WriteString("provider", entry.Provider);
        json.WriteString("model", entry.Model);
        json.WriteString("promptSha256", entry.PromptSha256);
        if (entry.Destination is not null) { json.WriteString("destination", entry.Destination); }
        json.WriteString("time", entry.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (entry.Outputs.Count > 0)
        {
            json.WriteStartArray("outputs");
            foreach (var output in entry.Outputs) { json.WriteStringValue(output); }
            json.WriteEndArray();
        }
    });

    /// <summary>The UTF-8 line (newline included) that removes task <paramref name="id"/>.</summary>
    public static byte[] Removal(string id) => Line(json => json.WriteString("removed", id));

    private static byte[] Line(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The live entries of <paramref name="text"/>, in the order they were added, and how many lines it has.</summary>
    public static List<JournalEntry> Fold(string text, out int lines)
    {
        var live = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        var order = new List<string>();
        lines = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) { continue; }
            lines++;
            if (Parse(line) is not { } parsed) { continue; }
            if (parsed.Removed is { } removed) { live.Remove(removed); continue; }
            order.Add(parsed.Entry!.Id);
            live[parsed.Entry.Id] = parsed.Entry;
        }
        var result = new List<JournalEntry>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in order)
        {
            if (live.TryGetValue(id, out var entry) && taken.Add(id)) { result.Add(entry); }
        }
        return result;
    }

    private static (JournalEntry? Entry, string? Removed)? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { return null; }
            if (root.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.String) { return (null, removed.GetString()); }
            if (Text(root, "id") is not { Length: > 0 } id || Text(root, "provider") is not { } provider) { return null; }
            var outputs = new List<string>();
            if (root.TryGetProperty("outputs", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String) { outputs.Add(item.GetString()!); }
                }
            }
            var time = DateTimeOffset.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
            return (new JournalEntry
            {
                Id = id,
                Provider = provider,
                Model = Text(root, "model") ?? string.Empty,
                PromptSha256 = Text(root, "promptSha256") ?? string.Empty,
                Destination = Text(root, "destination"),
                Time = time,
                Outputs = outputs,
            }, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>SHA-256 of <paramref name="prompt"/>'s UTF-8 bytes, lower-case hex (empty for no prompt).</summary>
    public static string Digest(string? prompt)
    {
        if (prompt is null) { return string.Empty; }
#if NET
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(prompt));
#else
        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(prompt));
#endif
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash) { hex.Append(b.ToString("x2", CultureInfo.InvariantCulture)); }
        return hex.ToString();
    }
}
