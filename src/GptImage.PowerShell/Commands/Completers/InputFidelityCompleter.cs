using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes -InputFidelity where the model and provider typed (or the defaults) take it.</summary>
public sealed class InputFidelityCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) =>
        specs.Any(m => m.SupportsInputFidelity) ? RequestRules.Fidelities : Enumerable.Empty<string>();
}
