using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes -AspectRatio (WaveSpeed's gpt-image-2) for the model and provider typed (or the defaults): only what that model takes.</summary>
public sealed class AspectRatioCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) => specs.SelectMany(m => m.AspectRatios).Distinct();
}
