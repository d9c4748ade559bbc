using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Arguments;

/// <summary>Completes -Model.</summary>
public sealed class ModelCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, null).Select(m => m.Name).Distinct();
}
