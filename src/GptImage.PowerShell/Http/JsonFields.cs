using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace GptImage.Http;

/// <summary>Writes JSON request bodies, and values of -AdditionalParameter (already unwrapped from PowerShell's objects) as JSON or form text.</summary>
internal static class JsonFields
{
    /// <summary>A JSON object: the fields <paramref name="writeFields"/> writes, then the <paramref name="additional"/> fields as given.</summary>
    public static string Body(Action<Utf8JsonWriter> writeFields, IReadOnlyDictionary<string, object?>? additional = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeFields(json);
            foreach (var field in additional ?? new Dictionary<string, object?>())
            {
                json.WritePropertyName(field.Key);
                Write(json, field.Value);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case char c: json.WriteStringValue(c.ToString()); break;
            case bool b: json.WriteBooleanValue(b); break;
            case float or double or decimal: json.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case byte or sbyte or short or ushort or int or uint or long: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case System.Collections.IDictionary map:
                json.WriteStartObject();
                foreach (System.Collections.DictionaryEntry entry in map)
                {
                    json.WritePropertyName((string)entry.Key);
                    Write(json, entry.Value);
                }
                json.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list) { Write(json, item); }
                json.WriteEndArray();
                break;
            default: throw new ArgumentException($"A {value.GetType().Name} cannot be sent as a body field.", nameof(value));
        }
    }

    /// <summary>A scalar as a multipart form field: invariant culture, booleans as true/false.</summary>
    public static string FormText(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// A time an answer gives as seconds since 1970 (a number, or a string of digits): null when absent, not a number or out of
    /// range. Every answer is untrusted: a field of the wrong kind is ignored, never an exception of the runtime.
    /// </summary>
    public static DateTimeOffset? UnixTime(JsonElement root, string name) =>
        Seconds(root, name) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>A positive number of seconds (a number, or a string of digits) no greater than <see cref="UnixTime"/> can hold, or null.</summary>
    public static long? Seconds(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value)) { return null; }
        long seconds;
        if (value.ValueKind == JsonValueKind.Number) { if (!value.TryGetInt64(out seconds)) { return null; } }
        else if (value.ValueKind != JsonValueKind.String
            || !long.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seconds)) { return null; }
        return seconds is > 0 and <= MaxUnixSeconds ? seconds : null;
    }

    /// <summary>The last second DateTimeOffset can hold (9999-12-31T23:59:59Z).</summary>
    private const long MaxUnixSeconds = 253402300799;
}
