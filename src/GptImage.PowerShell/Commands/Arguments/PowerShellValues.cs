using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace GptImage.Commands;

/// <summary>PowerShell's values (PSObject wrappers, hashtables, header collections) turned into plain .NET ones for the client.</summary>
internal static class PowerShellValues
{
    /// <summary>The base object of a PSObject, recursively through arrays and dictionaries.</summary>
    public static object? Unwrap(object? value)
    {
        value = value is PSObject ps ? ps.BaseObject : value;
        switch (value)
        {
            case null or string or byte[]:
                return value;
            case IDictionary map:
                var copy = new Dictionary<string, object?>();
                foreach (DictionaryEntry entry in map) { copy[Unwrap(entry.Key)?.ToString() ?? string.Empty] = Unwrap(entry.Value); }
                return copy;
            case IEnumerable list:
                return list.Cast<object?>().Select(Unwrap).ToList();
            default:
                return value;
        }
    }

    /// <summary>-AdditionalParameter as body fields, or null.</summary>
    public static IReadOnlyDictionary<string, object?>? ToFields(Hashtable? table) =>
        table is null ? null : (Dictionary<string, object?>)Unwrap(table)!;

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
