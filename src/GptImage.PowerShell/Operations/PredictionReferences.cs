using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Providers;

namespace GptImage.Operations;

/// <summary>
/// What a prediction read back from outside the session (<see cref="Prediction.IsReference"/>) stands for now: the
/// service's answer to a new query by its id, or, for a synchronous Images API provider that keeps no task to
/// query, the outputs of it still kept in GptImage's private folder. Nothing else the reference held is used.
/// </summary>
internal static class PredictionReferences
{
    /// <summary>The prediction to wait on or save for <paramref name="prediction"/>: itself unless it is a reference.</summary>
    public static async Task<Prediction> CurrentAsync(IImageApiClient client, Prediction prediction, CancellationToken cancellationToken)
    {
        if (!prediction.IsReference) { return prediction; }
        var id = prediction.Id;
        var provider = Enum.TryParse<ProviderKind>(prediction.Provider, out var named) ? named : client.Kind;
        if (provider != client.Kind && provider == ProviderKind.WaveSpeed)
        {
            throw GptImageException.InvalidParameter("Provider",
                $"Prediction {id} was made by WaveSpeed, and this call uses {client.Kind}: add -Provider WaveSpeed to query it again.");
        }
        if (provider == client.Kind)
        {
            try
            {
                return await client.GetAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (GptImageException e) when (e.Kind == GptImageErrorKind.NotFound && provider != ProviderKind.WaveSpeed)
            {
                // Not made in this session: only its kept outputs are left.
            }
        }
        var kept = prediction.Outputs.Select(o => KeptOutputs.Reference(id, o.OriginalString, KeptOutputs.Folder)).OfType<Uri>().ToArray();
        if (kept.Length == 0)
        {
            throw new GptImageException(GptImageErrorKind.NotFound,
                $"Prediction {id} cannot be queried again: {provider} answers synchronously and keeps no task, so only the predictions of the session that made them are known, " +
                "and none of its outputs is still kept in GptImage's private folder (they are kept there a day until saved).", id)
            {
                RecommendedAction = $"Save {provider}'s images in the session that makes them (-OutputDirectory, or Save-GptImage), or within a day on the same machine and account.",
            };
        }
        return new Prediction { Id = id, Provider = provider.ToString(), Status = PredictionStatus.Completed, Outputs = kept };
    }
}
