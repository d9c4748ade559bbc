using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using GptImage.Gallery;

namespace GptImage.Commands.Arguments;

/// <summary>
/// Reads a gallery card off a piped object: a live <see cref="Prediction"/>, or one that went through
/// Export-Clixml and Import-Clixml (a property bag whose files are deserialized FileInfo objects).
/// </summary>
internal static class GalleryCardReader
{
    /// <summary>
    /// The card of <paramref name="input"/>, read by property name alike from a live prediction and a deserialized one,
    /// or null when it is not a prediction (no Id or Status).
    /// </summary>
    public static GalleryCard? Read(PSObject input)
    {
        var id = Text(input, "Id");
        var status = Text(input, "Status");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(status)) { return null; }
        return new GalleryCard
        {
            Id = id!,
            Status = status!,
            Provider = Text(input, "Provider"),
            Model = Text(input, "Model"),
            Prompt = Text(input, "Prompt"),
            Size = Text(input, "Size"),
            Quality = Text(input, "Quality"),
            Usd = Usd(input),
            CreatedAt = Converted<DateTimeOffset>(Value(input, "CreatedAt")),
            InferenceTime = Converted<TimeSpan>(Value(input, "InferenceTime")),
            Error = Text(input, "Error"),
            ErrorCode = Converted<int>(Value(input, "ErrorCode")),
            SourcePath = Text(input, "SourcePath"),
            Files = Paths(Value(input, "Files")),
        };
    }

    private static object? Value(PSObject input, string name)
    {
        var value = input.Properties[name]?.Value;
        // A deserialized object stays a property bag; anything else is unwrapped to its .NET value.
        return value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
    }

    private static string? Text(PSObject input, string name) => Value(input, name) is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static decimal? Usd(PSObject input) =>
        Converted<decimal>(Value(input, "Usd"))
        ?? (input.Properties["Usage"]?.Value is { } usage ? Converted<decimal>(Value(PSObject.AsPSObject(usage), "Usd")) : null);

    private static T? Converted<T>(object? value) where T : struct
    {
        if (value is null) { return null; }
        if (value is T typed) { return typed; }
        // A deserialized DateTimeOffset is a property bag; its DateTime and Offset make it whole again.
        if (typeof(T) == typeof(DateTimeOffset) && value is PSObject bag && bag.Properties["UtcDateTime"]?.Value is DateTime utc)
        {
            return (T)(object)new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        }
        return LanguagePrimitives.TryConvertTo<T>(value, CultureInfo.InvariantCulture, out var converted) ? converted : null;
    }

    private static IReadOnlyList<string> Paths(object? files)
    {
        var paths = new List<string>();
        if (files is null or string) { return files is string one ? new[] { one } : paths; }
        if (files is not IEnumerable items) { return paths; }
        foreach (var item in items)
        {
            var path = item switch
            {
                FileInfo info => info.FullName,
                string text => text,
                PSObject bag => Convert.ToString(bag.Properties["FullName"]?.Value ?? bag.BaseObject, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (!string.IsNullOrEmpty(path)) { paths.Add(path!); }
        }
        return paths;
    }
}
