using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using GptImage.Files;

namespace GptImage.Polling;

/// <summary>
/// The file a connection keeps learnt task durations in across sessions: {"version":1,"durationsMs":{kind:[ms...]}}.
/// It is a hint: an absent, unreadable or malformed file holds nothing, and a write that fails is ignored.
/// </summary>
internal static class LearnedTimingsFile
{
    private const int MaxKinds = 64;

    /// <summary>The file learnt timings are kept in by default: GptImage/timings.json in the user's local application data, or null when there is none.</summary>
    public static string? DefaultPath
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "GptImage", "timings.json");
        }
    }

    /// <summary>The kinds in a timings file, in file order; an absent, unreadable or malformed file holds none.</summary>
    internal static Dictionary<string, List<TimeSpan>> Read(string path)
    {
        var result = new Dictionary<string, List<TimeSpan>>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists(path)) { return result; }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > 1024 * 1024) { return result; }
            using var doc = JsonDocument.Parse(stream);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("durationsMs", out var kinds) || kinds.ValueKind != JsonValueKind.Object)
            {
                return result;
            }
            foreach (var kind in kinds.EnumerateObject())
            {
                if (kind.Value.ValueKind != JsonValueKind.Array || kind.Name.Length > 512) { continue; }
                var list = new List<TimeSpan>();
                foreach (var value in kind.Value.EnumerateArray())
                {
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms) && ms > 0 && ms <= LatencyEstimator.LongestKept.TotalMilliseconds)
                    {
                        list.Add(TimeSpan.FromMilliseconds(ms));
                    }
                }
                if (list.Count > LatencyEstimator.Window) { list.RemoveRange(0, list.Count - LatencyEstimator.Window); }
                if (list.Count > 0) { result[kind.Name] = list; }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            result.Clear();
        }
        return result;
    }

    /// <summary>
    /// Writes <paramref name="mine"/> (the kinds this session saw) into <paramref name="path"/> atomically, keeping what other
    /// sessions wrote since for the other kinds, at most <see cref="MaxKinds"/> kinds; failures are ignored.
    /// </summary>
    public static void Write(string path, Dictionary<string, List<TimeSpan>> mine)
    {
        try
        {
            // What other sessions learnt since this one read the file is kept, except for the kinds this one saw.
            var all = Read(path).Where(p => !mine.ContainsKey(p.Key)).ToList();
            all.AddRange(mine);
            var kept = all.Skip(Math.Max(0, all.Count - MaxKinds)).ToList();
            using var file = AtomicFile.Create(Path.GetDirectoryName(path)!);
            using (var json = new Utf8JsonWriter(file.Stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteNumber("version", 1);
                json.WriteStartObject("durationsMs");
                foreach (var pair in kept)
                {
                    json.WriteStartArray(pair.Key);
                    foreach (var d in pair.Value) { json.WriteNumberValue(Math.Round(d.TotalMilliseconds)); }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            file.CommitAs(path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Learnt timings are a hint: a read-only or busy folder only means the next session starts blind.
        }
    }
}
