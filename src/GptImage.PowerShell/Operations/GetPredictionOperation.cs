using GptImage.Providers;

namespace GptImage.Operations;

/// <summary>Get-GptImagePrediction: one query per id.</summary>
internal sealed class GetPredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public GetPredictionOperation(OperationRunner runner, IImageApiClient client)
        : base(runner, client, new WaitSettings(), "Querying predictions", ActivityIds.Get)
    {
    }

    /// <summary>One id (pipeline thread).</summary>
    public void Process(string id) => Run(id, id, ct => Client.GetAsync(id, ct)!);

    /// <inheritdoc />
    protected override void Emit(Prediction prediction, object target) => Runner.Post(sink => sink.WriteObject(prediction));
}
