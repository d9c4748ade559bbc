using System.Collections.Generic;
using System.Linq;
using GptImage.Client;

namespace GptImage.Commands;

/// <summary>Completes -Background for the bound -Model.</summary>
public sealed class BackgroundCompleter : ValueCompleter
{
    /// <inheritdoc />
    protected override IEnumerable<string> Values(ImageOperation operation, string? model) => Specs(operation, model).SelectMany(m => m.Backgrounds).Distinct();
}
