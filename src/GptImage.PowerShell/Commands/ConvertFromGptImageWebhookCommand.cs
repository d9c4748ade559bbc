using System.Management.Automation;
using GptImage.Commands.Base;
using GptImage.Files;
using GptImage.Providers.WaveSpeed;

namespace GptImage.Commands;

/// <summary>Turns a webhook delivery into a prediction.</summary>
[Cmdlet(VerbsData.ConvertFrom, "GptImageWebhook")]
[OutputType(typeof(Prediction))]
public sealed class ConvertFromGptImageWebhookCommand : GptImageCmdlet
{
    /// <summary>The raw body as received.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RequestBody", "Content")]
    [ValidateNotNullOrEmpty]
    public string RawBody { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            var prediction = WaveSpeedPredictions.FromWebhook(RawBody);
            if (TaskOutputs.Warning(prediction) is { } dropped) { WriteWarning(dropped); }
            WriteObject(prediction);
        }
        catch (GptImageException e)
        {
            WriteError(ErrorRecords.From(e, RawBody));
        }
    }
}
