using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes -Resolution (WaveSpeed's gpt-image-2) for the model and provider typed (or the defaults): only what that model takes.</summary>
public sealed class ResolutionCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) => specs.SelectMany(m => m.Resolutions).Distinct();
}
