using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using GptImage.Http;

namespace GptImage.Requests;

/// <summary>
/// The one rule for -AdditionalParameter: body fields the module does not know yet, sent as given, but never a field
/// the module owns, never deeper than <see cref="MaxDepth"/>, never larger than <see cref="MaxBytes"/> once serialized,
/// with names that survive a JSON body and a multipart header alike. Anything else is GptImage.InvalidParameter before
/// anything is sent.
/// </summary>
internal static class AdditionalFields
{
    /// <summary>The deepest nesting of arrays and hashtables in one value (a value that contains itself is deeper).</summary>
    public const int MaxDepth = 16;

    /// <summary>The largest the additional fields may be, serialized as JSON.</summary>
    public const int MaxBytes = 64 * 1024;

    private const string Parameter = "AdditionalParameter";

    /// <summary>
    /// The fields the requests set from the module's parameters, on every provider (and the ones that change how an
    /// answer is read or where it goes): -AdditionalParameter may not name them. Any <c>enable_*</c> switch is owned too.
    /// </summary>
    private static readonly string[] Owned =
    {
        "prompt", "model", "size", "quality", "background", "input_fidelity", "image", "image[]", "images", "mask_image", "mask",
        "n", "moderation", "output_format", "output_compression", "response_format", "webhook", "stream", "partial_images",
    };

    /// <summary>Whether the module sets this field itself.</summary>
    public static bool IsOwned(string name) =>
        Owned.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("enable_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The fields as they will be sent, or GptImage.InvalidParameter saying what is wrong with them.</summary>
    public static IReadOnlyDictionary<string, object?> Check(IReadOnlyDictionary<string, object?>? fields, bool multipart)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (fields is null) { return result; }
        foreach (var pair in fields)
        {
            var name = CheckName(pair.Key?.Trim());
            if (IsOwned(name))
            {
                throw GptImageException.InvalidParameter(Parameter,
                    $"'{name}' is a field GptImage sets from its own parameters; -AdditionalParameter adds fields the module does not know yet.");
            }
            CheckValue(name, pair.Value, multipart, 0, new List<object>());
            result[name] = pair.Value;
        }
        var size = Encoding.UTF8.GetByteCount(JsonFields.Body(_ => { }, result));
        if (size > MaxBytes)
        {
            throw GptImageException.InvalidParameter(Parameter, $"The additional fields are {size} bytes as JSON; at most {MaxBytes} are sent.");
        }
        return result;
    }

    /// <summary>Refuses a value nested deeper than <see cref="MaxDepth"/>, or one that contains itself (the caller's unwrapping says which).</summary>
    public static GptImageException TooDeep(bool cycle) => GptImageException.InvalidParameter(Parameter, cycle
        ? "An additional field contains itself; a body field is a tree of strings, numbers, booleans, arrays and hashtables."
        : $"An additional field is nested more than {MaxDepth} deep.");

    /// <summary>A field name: not empty, and no control character or quote (it becomes a JSON name or a multipart header).</summary>
    private static string CheckName(string? name)
    {
        if (name is null || name.Length == 0)
        {
            throw GptImageException.InvalidParameter(Parameter, "An additional body field has an empty name.");
        }
        if (name.Any(c => char.IsControl(c) || c is '"' or '\'' or '\\'))
        {
            throw GptImageException.InvalidParameter(Parameter,
                $"The field name '{Untrusted.Text(name)}' holds a control character, a quote or a backslash; field names are plain words.");
        }
        return name;
    }

    private static void CheckValue(string name, object? value, bool multipart, int depth, List<object> containers)
    {
        switch (value)
        {
            case null or string or bool or char or byte or sbyte or short or ushort or int or uint or long or ulong or decimal:
                return;
            // JSON has no NaN or infinity, and numbers are written as decimals.
            case double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e28:
                return;
            case float f when !float.IsNaN(f) && !float.IsInfinity(f) && Math.Abs(f) < 7.9e28f:
                return;
            case IEnumerable nested when multipart:
                throw GptImageException.InvalidParameter(Parameter, $"The value of '{name}' is a {nested.GetType().Name}; a multipart edit takes strings, numbers and booleans only.");
            case IDictionary or IEnumerable:
                if (containers.Any(c => ReferenceEquals(c, value))) { throw TooDeep(cycle: true); }
                if (depth >= MaxDepth) { throw TooDeep(cycle: false); }
                containers.Add(value);
                if (value is IDictionary map)
                {
                    foreach (DictionaryEntry entry in map)
                    {
                        if (entry.Key is not string key) { throw Unsupported(name, entry.Key); }
                        CheckName(key);
                        CheckValue(name, entry.Value, multipart, depth + 1, containers);
                    }
                }
                else
                {
                    foreach (var item in (IEnumerable)value) { CheckValue(name, item, multipart, depth + 1, containers); }
                }
                containers.RemoveAt(containers.Count - 1);
                return;
            default:
                throw Unsupported(name, value);
        }
    }

    private static GptImageException Unsupported(string name, object? value) => GptImageException.InvalidParameter(Parameter,
        $"The value of '{name}' holds a {value?.GetType().Name}; body fields take strings, numbers and booleans, and arrays and hashtables of them.");
}
