using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Arguments;

/// <summary>Completes -Size for the bound -Model.</summary>
public sealed class SizeCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, model).SelectMany(m => m.Sizes).Distinct();
}
