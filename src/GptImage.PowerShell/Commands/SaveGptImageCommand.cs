using System;
using System.IO;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Operations;

namespace GptImage.Commands;

/// <summary>Saves the images of predictions and writes the files.</summary>
[Cmdlet(VerbsData.Save, "GptImage", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveGptImageCommand : SavingCmdlet
{
    private SavePredictionOperation? _operation;

    /// <inheritdoc />
    protected override bool RequiresKey => false;

    /// <summary>Predictions to save.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    [PredictionTransformation]
    public Prediction[] Prediction { get; set; } = Array.Empty<Prediction>();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        OutputDirectory ??= OutFile is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : null;
        base.BeginProcessing();
        _operation = new SavePredictionOperation(Runner, Client, WaitSettings(wait: true));
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var prediction in Prediction) { _operation!.Process(prediction); }
        Runner.Pump();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _operation!.End();
}
