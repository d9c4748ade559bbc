using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Operations;

namespace GptImage.Commands;

/// <summary>Generates images from text prompts.</summary>
[Cmdlet(VerbsCommon.New, "GptImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Prediction))]
public sealed class NewGptImageCommand : ImageCmdlet
{
    private NewImageOperation? _operation;

    /// <summary>What to draw (up to 32000 characters).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [PromptTransformation]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _operation = new NewImageOperation(Runner, Client, BeginCall(template => template).Settings);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (CurrentRow(template => template, (nameof(Prompt), Prompt)) is { } row) { _operation!.Process(row.Template, Prompt, row.Target, row.Settings); }
        Runner.Pump();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _operation!.End();
}
