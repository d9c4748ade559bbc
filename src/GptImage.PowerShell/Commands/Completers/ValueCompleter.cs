using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using GptImage.Commands.Arguments;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>
/// Completes values from the catalogue, filtered with a wildcard built from what was typed: only what the model typed
/// (else the default model) takes on the provider typed (else the session's, else WaveSpeed), so completion never
/// offers a value the request would then refuse.
/// </summary>
public abstract class ValueCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        var operation = commandName?.StartsWith("Edit", StringComparison.OrdinalIgnoreCase) == true ? ImageOperation.Edit : ImageOperation.Generate;
        var provider = TypedProvider(fakeBoundParameters?["Provider"]) ?? SessionProvider();
        var model = ByModel ? Typed(fakeBoundParameters?["Model"]) : null;
        return Values(Specs(operation, model, provider, ByModel)).Where(pattern.IsMatch)
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }

    /// <summary>The values the applicable model specs take.</summary>
    private protected abstract IEnumerable<string> Values(IEnumerable<ModelSpec> specs);

    /// <summary>Whether the values depend on the model (a model's own list does not).</summary>
    private protected virtual bool ByModel => true;

    /// <summary>
    /// The specs that apply to <paramref name="operation"/> on <paramref name="provider"/>: the one of
    /// <paramref name="model"/> (null: the default model) when <paramref name="byModel"/>, else all of them. A model
    /// the catalogue does not know gets nothing (its values are left to the service).
    /// </summary>
    internal static IEnumerable<ModelSpec> Specs(ImageOperation operation, string? model, ProviderKind provider, bool byModel)
    {
        var name = string.IsNullOrWhiteSpace(model) ? ModelCatalog.DefaultModel : model!.Trim();
        return ModelCatalog.All.Where(m => m.Operation == operation && m.Provider == provider
            && (!byModel || string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.ApiModelId, name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A typed -Provider (a ProviderKind, or its name as typed), or null when none or not a provider.</summary>
    internal static ProviderKind? TypedProvider(object? value) => (value is PSObject ps ? ps.BaseObject : value) switch
    {
        ProviderKind kind => kind,
        // By name only: Enum.TryParse would also take any number.
        _ when Typed(value) is { Length: > 0 } text && char.IsLetter(text[0]) && Enum.TryParse<ProviderKind>(text, ignoreCase: true, out var named) => named,
        _ => null,
    };

    private static string? Typed(object? value) => (value is PSObject ps ? ps.BaseObject : value)?.ToString()?.Trim('\'', '"');

    /// <summary>The provider of this runspace's session (Connect-GptImage), else WaveSpeed.</summary>
    private static ProviderKind SessionProvider() =>
        Runspace.DefaultRunspace is null ? ProviderKind.WaveSpeed : RunspaceSession.Current.Provider;
}
