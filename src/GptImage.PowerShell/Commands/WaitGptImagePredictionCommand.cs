using System;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Operations;

namespace GptImage.Commands;

/// <summary>Waits for predictions to end.</summary>
[Cmdlet(VerbsLifecycle.Wait, "GptImagePrediction", SupportsShouldProcess = true, DefaultParameterSetName = PredictionSet)]
[OutputType(typeof(Prediction))]
public sealed class WaitGptImagePredictionCommand : SavingCmdlet
{
    private const string PredictionSet = "Prediction";
    private const string IdSet = "Id";
    private WaitPredictionOperation? _operation;

    /// <summary>Predictions from New-GptImage, Edit-GptImage or Get-GptImagePrediction.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PredictionSet)]
    [ValidateNotNull]
    [PredictionTransformation]
    public Prediction[] Prediction { get; set; } = Array.Empty<Prediction>();

    /// <summary>Prediction ids.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _operation = new WaitPredictionOperation(Runner, Client, WaitSettings(wait: true));
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id) { _operation!.Process(id); }
        }
        else
        {
            foreach (var prediction in Prediction) { _operation!.Process(prediction); }
        }
        Runner.Pump();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _operation!.End();
}
