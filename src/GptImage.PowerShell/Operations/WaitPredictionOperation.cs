using GptImage.Providers;

namespace GptImage.Operations;

/// <summary>Wait-GptImagePrediction: every input waited on at once, each written as it ends.</summary>
internal sealed class WaitPredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public WaitPredictionOperation(OperationRunner runner, IImageApiClient client, WaitSettings settings)
        : base(runner, client, settings, "Waiting for predictions", ActivityIds.Wait)
    {
    }

    /// <summary>One prediction (pipeline thread). Final ones without saving are passed on without a query.</summary>
    public void Process(Prediction prediction)
    {
        if (Settings.Save is not null && !MaySave(prediction)) { return; }
        Run(prediction, prediction.Id, ct => FinishAsync(prediction, ct)!);
    }

    /// <summary>One id (pipeline thread).</summary>
    public void Process(string id) => Process(new Prediction { Id = id });
}
