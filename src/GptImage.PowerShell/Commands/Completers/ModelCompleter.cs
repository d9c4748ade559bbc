using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes -Model with the models of the provider typed (or the session's).</summary>
public sealed class ModelCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) => specs.Select(m => m.Name).Distinct();

    /// <inheritdoc />
    private protected override bool ByModel => false;
}
