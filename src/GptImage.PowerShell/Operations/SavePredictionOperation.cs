using System;
using GptImage.Providers;

namespace GptImage.Operations;

/// <summary>Save-GptImage: predictions in, saved files (FileInfo) out.</summary>
internal sealed class SavePredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public SavePredictionOperation(OperationRunner runner, IImageApiClient client, WaitSettings settings)
        : base(runner, client, settings.Save is null ? throw new ArgumentException("Save is required.", nameof(settings)) : settings, "Saving images", ActivityIds.Save)
    {
    }

    /// <summary>One prediction (pipeline thread).</summary>
    public void Process(Prediction prediction)
    {
        if (!MaySave(prediction)) { return; }
        Run(prediction, prediction.Id, ct => FinishAsync(prediction, ct)!);
    }

    /// <inheritdoc />
    protected override void WriteResult(ICmdletSink sink, Prediction prediction)
    {
        foreach (var file in prediction.Files) { sink.WriteObject(file); }
    }
}
