using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using System.Text;
using GptImage.Requests;

namespace GptImage.Commands.Arguments;

/// <summary>PowerShell's values (PSObject wrappers, hashtables, header collections) turned into plain .NET ones for the client.</summary>
internal static class PowerShellValues
{
    /// <summary>
    /// The base object of a PSObject, recursively through arrays and dictionaries, never deeper than
    /// <see cref="AdditionalFields.MaxDepth"/>: a hashtable that contains itself is refused, not followed until the stack ends.
    /// </summary>
    public static object? Unwrap(object? value) => Unwrap(value, 0, new List<object>());

    private static object? Unwrap(object? value, int depth, List<object> containers)
    {
        value = value is PSObject ps ? ps.BaseObject : value;
        if (value is null or string or byte[] || value is not IEnumerable) { return value; }
        if (containers.Any(c => ReferenceEquals(c, value))) { throw AdditionalFields.TooDeep(cycle: true); }
        // The -AdditionalParameter table itself is depth 0: a field's value may nest MaxDepth containers.
        if (depth > AdditionalFields.MaxDepth) { throw AdditionalFields.TooDeep(cycle: false); }
        containers.Add(value);
        object result;
        if (value is IDictionary map)
        {
            var copy = new Dictionary<string, object?>();
            foreach (DictionaryEntry entry in map) { copy[Unwrap(entry.Key, depth + 1, containers)?.ToString() ?? string.Empty] = Unwrap(entry.Value, depth + 1, containers); }
            result = copy;
        }
        else
        {
            result = ((IEnumerable)value).Cast<object?>().Select(item => Unwrap(item, depth + 1, containers)).ToList();
        }
        containers.RemoveAt(containers.Count - 1);
        return result;
    }

    /// <summary>-AdditionalParameter as body fields, or null.</summary>
    public static IReadOnlyDictionary<string, object?>? ToFields(Hashtable? table) =>
        table is null ? null : (Dictionary<string, object?>)Unwrap(table)!;

    /// <summary>A hashtable of names to names (-Deployment): every key and value a string, or InvalidParameter naming <paramref name="parameter"/>.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(IDictionary map, string parameter)
    {
        var result = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in map)
        {
            if (Unwrap(entry.Key) is not string key || Unwrap(entry.Value) is not string value || key.Trim().Length == 0)
            {
                throw GptImageException.InvalidParameter(parameter, $"-{parameter} takes a name, or a hashtable from model name to name: every key and value a string.");
            }
            result[key.Trim()] = value;
        }
        return result;
    }

    /// <summary>
    /// Request headers as received by a PowerShell web listener or request (NameValueCollection, or a dictionary of
    /// strings or string lists), an Azure Function (a hashtable) or an Automation webhook (an object with a property per header).
    /// </summary>
    public static Dictionary<string, string> ToHeaders(object? headers)
    {
        var result = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
        var value = headers is PSObject ps ? ps.BaseObject : headers;
        switch (value)
        {
            case null:
                break;
            case NameValueCollection collection:
                foreach (string? key in collection.AllKeys) { if (key is not null) { result[key] = collection[key] ?? string.Empty; } }
                break;
            case IDictionary map:
                foreach (DictionaryEntry entry in map) { result[Unwrap(entry.Key)?.ToString() ?? string.Empty] = Text(entry.Value); }
                break;
            case IEnumerable pairs when value is not string:
                foreach (var item in pairs)
                {
                    var pair = PSObject.AsPSObject(item);
                    if (pair.Properties["Key"]?.Value is { } key) { result[key.ToString()!] = Text(pair.Properties["Value"]?.Value); }
                }
                break;
            default:
                foreach (var property in PSObject.AsPSObject(headers).Properties) { result[property.Name] = Text(property.Value); }
                break;
        }
        return result;
    }

    /// <summary>A header value: a string, or the first of a list of them.</summary>
    private static string Text(object? value) => Unwrap(value) switch
    {
        null => string.Empty,
        string s => s,
        IEnumerable list => list.Cast<object?>().FirstOrDefault()?.ToString() ?? string.Empty,
        var other => other.ToString() ?? string.Empty,
    };

    /// <summary>A raw body as received: a string (encoded as UTF-8, as it was sent) or bytes.</summary>
    public static byte[]? ToBytes(object? body) => Unwrap(body) switch
    {
        null => null,
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        var other => Encoding.UTF8.GetBytes(other.ToString() ?? string.Empty),
    };
}
