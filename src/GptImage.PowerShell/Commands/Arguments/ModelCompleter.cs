using System.Collections.Generic;
using System.Linq;
using GptImage.Client;

namespace GptImage.Commands;

/// <summary>Completes -Model.</summary>
public sealed class ModelCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, null).Select(m => m.Name).Distinct();
}
