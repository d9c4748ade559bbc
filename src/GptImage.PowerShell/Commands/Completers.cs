using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using GptImage.Client;

namespace GptImage.Commands;

/// <summary>Completes values from a list, filtered with a wildcard built from what was typed.</summary>
public abstract class ValueCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        var operation = commandName?.StartsWith("Edit", StringComparison.OrdinalIgnoreCase) == true ? ImageOperation.Edit : ImageOperation.Generate;
        var model = fakeBoundParameters?["Model"] as string;
        return Values(operation, model).Where(pattern.IsMatch)
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }

    /// <summary>The values for an operation and (when bound) a model.</summary>
    protected abstract IEnumerable<string> Values(ImageOperation operation, string? model);

    /// <summary>The model specs that apply.</summary>
    protected static IEnumerable<ModelSpec> Specs(ImageOperation operation, string? model) =>
        ModelCatalog.All.Where(m => m.Operation == operation && (model is null || string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>Completes -Model.</summary>
public sealed class ModelCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, null).Select(m => m.Name).Distinct();
}

/// <summary>Completes a WaveSpeed model id (Get-GptImagePrediction -Model filters the history by id).</summary>
public sealed class ModelIdCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) =>
        ModelCatalog.All.Where(m => m.Provider == ProviderKind.WaveSpeed).Select(m => m.ApiModelId);
}

/// <summary>Completes -Size for the bound -Model.</summary>
public sealed class SizeCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, model).SelectMany(m => m.Sizes).Distinct();
}

/// <summary>Completes -Quality for the bound -Model.</summary>
public sealed class QualityCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, model).SelectMany(m => m.Qualities).Distinct();
}

/// <summary>Completes -Background for the bound -Model.</summary>
public sealed class BackgroundCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, model).SelectMany(m => m.Backgrounds).Distinct();
}

/// <summary>Turns a plain string into a SecureString, so -ApiKey takes either (Get-Secret returns SecureString).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value is string text ? ToSecureString(text) : value;
    }

    /// <summary>A read-only SecureString holding <paramref name="text"/>.</summary>
    internal static System.Security.SecureString ToSecureString(string text)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in text) { secure.AppendChar(c); }
        secure.MakeReadOnly();
        return secure;
    }
}

/// <summary>
/// Takes a prompt from a string, or from the Prompt property or key of an object or hashtable; refuses any other
/// object (a FileInfo, a hashtable without Prompt) instead of submitting its text as a paid prompt.
/// </summary>
public sealed class PromptTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        switch (value)
        {
            case null:
            case string:
                return value;
            case System.Collections.IDictionary dictionary when dictionary.Contains("Prompt"):
                return Transform(engineIntrinsics, dictionary["Prompt"]!);
        }
        if (value is not System.Collections.IDictionary && PSObject.AsPSObject(inputData).Properties["Prompt"]?.Value is { } prompt)
        {
            return Transform(engineIntrinsics, prompt);
        }
        throw new ArgumentTransformationMetadataException(
            $"A {value.GetType().Name} is not a prompt: give a string, or an object or hashtable with a Prompt property. Nothing was submitted for it.");
    }
}
