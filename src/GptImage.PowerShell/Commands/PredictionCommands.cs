using System;
using System.IO;
using System.Management.Automation;
using GptImage.Commands.Logic;

namespace GptImage.Commands;

/// <summary>
/// <para type="synopsis">Gets the current state of predictions.</para>
/// <para type="description">Queries each prediction once and writes it. Takes ids, or predictions (by their Id property), from the pipeline.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "GptImagePrediction")]
[OutputType(typeof(Prediction))]
public sealed class GetGptImagePredictionCommand : ServiceCmdlet
{
    private GetPredictionOperation? _operation;

    /// <summary>
    /// <para type="description">Prediction ids. Binds from the pipeline, and from the Id property of piped objects.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _operation = new GetPredictionOperation(Runner, Client);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var id in Id) { _operation!.Process(id); }
        Runner.Pump();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _operation!.End();
}

/// <summary>
/// <para type="synopsis">Waits for predictions to end.</para>
/// <para type="description">Waits for every piped prediction at once and writes each as soon as it ends, with one progress bar for the batch. Failed predictions are non-terminating errors (the prediction is the error's TargetObject); the rest go on. With -OutputDirectory or -OutFile the outputs are saved.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "GptImagePrediction", SupportsShouldProcess = true, DefaultParameterSetName = PredictionSet)]
[OutputType(typeof(Prediction))]
public sealed class WaitGptImagePredictionCommand : SavingCmdlet
{
    private const string PredictionSet = "Prediction";
    private const string IdSet = "Id";
    private WaitPredictionOperation? _operation;

    /// <summary>
    /// <para type="description">Predictions from New-GptImage, Edit-GptImage or Get-GptImagePrediction.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PredictionSet)]
    [ValidateNotNull]
    public Prediction[] Prediction { get; set; } = Array.Empty<Prediction>();

    /// <summary>
    /// <para type="description">Prediction ids.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var settings = BuildWaitSettings(wait: true);
        base.BeginProcessing();
        _operation = new WaitPredictionOperation(Runner, Client, settings);
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

/// <summary>
/// <para type="synopsis">Saves the images of predictions and writes the files.</para>
/// <para type="description">Waits for each piped prediction when it is still running, saves its outputs atomically (never overwriting without -Force) and writes the saved files as FileInfo objects, for Copy-Item and the like.</para>
/// </summary>
[Cmdlet(VerbsData.Save, "GptImage", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveGptImageCommand : SavingCmdlet
{
    private SavePredictionOperation? _operation;

    /// <summary>
    /// <para type="description">Predictions to save.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Prediction[] Prediction { get; set; } = Array.Empty<Prediction>();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        OutputDirectory ??= OutFile is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : null;
        var settings = BuildWaitSettings(wait: true);
        base.BeginProcessing();
        _operation = new SavePredictionOperation(Runner, Client, settings);
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
