using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using GptImage.Files;

namespace GptImage.Commands.Arguments;

/// <summary>
/// A prediction read back from outside the session (Import-Clixml, ConvertFrom-Json, a process job's output, a
/// hashtable) turned into a reference: only its Id and Provider are taken, and, for a synchronous Images API
/// provider, the outputs of it still kept in GptImage's private folder. Its status, URLs, files, source path and
/// everything else are left behind and queried again, so nothing in the file chooses a URL, a key or a file name.
/// </summary>
internal static class PredictionReference
{
    private static readonly Regex IdPattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant);

    /// <summary>Whether <paramref name="value"/> (unwrapped) is a record a prediction may be read back from.</summary>
    public static bool IsRecord(object? value) => value is PSCustomObject or IDictionary;

    /// <summary>
    /// The reference <paramref name="record"/> stands for; refused (ArgumentException) when it has no usable Id or
    /// names a provider there is none of. A record without Provider is one of the call's provider (an empty Provider).
    /// </summary>
    public static Prediction From(object record, string keptFolder)
    {
        var id = Field(record, "Id") is string text ? text : null;
        if (id is null || !IdPattern.IsMatch(id))
        {
            throw new ArgumentException(id is null
                ? "The object has no Id: only a prediction (from GptImage, or read back with Import-Clixml or ConvertFrom-Json) can be given here."
                : "The object's Id is not a prediction id (letters, digits, '.', '_' and '-', at most 128).");
        }
        var provider = Provider(Field(record, "Provider"), id);
        var kept = provider == ProviderKind.WaveSpeed ? Array.Empty<Uri>() : KeptFiles(Field(record, "Outputs"), id, keptFolder);
        return new Prediction
        {
            Id = id,
            Provider = provider?.ToString() ?? string.Empty,
            Outputs = kept,
            IsReference = true,
        };
    }

    private static ProviderKind? Provider(object? value, string id)
    {
        switch (value)
        {
            case null:
                return null;
            case ProviderKind kind:
                return kind;
            case string name when Enum.TryParse<ProviderKind>(name, true, out var parsed) && string.Equals(parsed.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase):
                return parsed;
            default:
                throw new ArgumentException($"Prediction {id} names a provider GptImage does not know; only WaveSpeed, AimlApi and OpenAI are.");
        }
    }

    /// <summary>The outputs that are kept files of this prediction's (see <see cref="GptImage.Files.KeptOutputs.Reference"/>), at most a task's worth.</summary>
    private static Uri[] KeptFiles(object? outputs, string id, string keptFolder)
    {
        System.Collections.Generic.IEnumerable<object?> items = outputs switch
        {
            null => Array.Empty<object?>(),
            string one => new object?[] { one },
            IEnumerable many => many.Cast<object?>(),
            _ => new object?[] { outputs },
        };
        return items.Take(GptImage.Files.TaskOutputs.MaxPerTask)
            .Select(item => Unwrap(item) switch { Uri uri => uri.OriginalString, string s => s, _ => null })
            .Select(text => GptImage.Files.KeptOutputs.Reference(id, text, keptFolder))
            .OfType<Uri>()
            .ToArray();
    }

    private static object? Field(object record, string name)
    {
        if (record is IDictionary map)
        {
            foreach (DictionaryEntry entry in map)
            {
                if (string.Equals(Unwrap(entry.Key) as string, name, StringComparison.OrdinalIgnoreCase)) { return Unwrap(entry.Value); }
            }
            return null;
        }
        return Unwrap(PSObject.AsPSObject(record).Properties[name]?.Value);
    }

    private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;
}
