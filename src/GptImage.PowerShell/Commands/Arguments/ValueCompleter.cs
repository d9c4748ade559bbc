using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using GptImage.Requests;

namespace GptImage.Commands.Arguments;

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
    private protected abstract IEnumerable<string> Values(ImageOperation operation, string? model);

    /// <summary>The model specs that apply.</summary>
    private protected static IEnumerable<ModelSpec> Specs(ImageOperation operation, string? model) =>
        ModelCatalog.All.Where(m => m.Operation == operation && (model is null || string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase)));
}
