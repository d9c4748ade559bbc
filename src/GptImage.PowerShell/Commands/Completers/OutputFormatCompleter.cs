using System.Collections.Generic;
using System.Linq;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes -OutputFormat for the model and provider typed (or the defaults).</summary>
public sealed class OutputFormatCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) => specs.SelectMany(m => m.OutputFormats).Select(ImageFiles.Name).Distinct();
}
