using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes a model of the history (Get-GptImagePrediction -Model): the names predictions show, then the WaveSpeed model ids.</summary>
public sealed class ModelIdCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) =>
        ModelCatalog.All.Where(m => m.Provider == ProviderKind.WaveSpeed).Select(m => m.Name).Distinct()
            .Concat(ModelCatalog.All.Where(m => m.Provider == ProviderKind.WaveSpeed).Select(m => m.ApiModelId));
}
