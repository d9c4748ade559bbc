using System.Management.Automation;
using GptImage.Client;
using GptImage.Commands.Logic;

namespace GptImage.Commands;

/// <summary>
/// <para type="synopsis">Generates images from text prompts.</para>
/// <para type="description">Submits one text-to-image task per prompt and writes its prediction. With -Wait, -OutputDirectory or -OutFile it waits and writes the finished prediction, whose Files are the saved images.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "GptImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Prediction))]
public sealed class NewGptImageCommand : ImageCmdlet
{
    private NewImageOperation? _operation;

    /// <summary>
    /// <para type="description">What to draw (up to 32000 characters). Takes pipeline input: strings, and objects or hashtables with a Prompt property; any other object (a file from Get-Item, say) is refused before anything is sent.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [PromptTransformation]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = string.Empty;

    private ImageRequest Build(string prompt) =>
        ImageRequest.Generate(prompt, Model, Size, Quality, Background, SyncMode, Base64Output, WebhookUri, EffectiveProvider, OutputOptions());

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        ValidateOrThrow(() => WarnAbout(Build("probe")));
        var settings = BuildWaitSettings(Wait);
        CheckDestination(settings.Save);
        base.BeginProcessing();
        _operation = new NewImageOperation(Runner, Client, settings, Build);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _operation!.Process(Prompt);
        Runner.Pump();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _operation!.End();
}
