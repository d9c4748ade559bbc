using System.Collections.Generic;
using System.Linq;
using GptImage.Requests;

namespace GptImage.Commands.Completers;

/// <summary>Completes a WaveSpeed model id (Get-GptImagePrediction -Model filters the history by id).</summary>
public sealed class ModelIdCompleter : ValueCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<string> Values(IEnumerable<ModelSpec> specs) =>
        ModelCatalog.All.Where(m => m.Provider == ProviderKind.WaveSpeed).Select(m => m.ApiModelId);
}
