using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Arguments;

/// <summary>Completes -Quality for the bound -Model.</summary>
public sealed class QualityCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, model).SelectMany(m => m.Qualities).Distinct();
}
