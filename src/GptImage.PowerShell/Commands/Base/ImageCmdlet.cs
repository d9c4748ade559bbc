using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Commands.Completers;
using GptImage.Files;
using GptImage.Images;
using GptImage.Operations;
using GptImage.Requests;

namespace GptImage.Commands.Base;

/// <summary>A cmdlet that submits image tasks: model, size, quality, background, -Wait and -SyncMode.</summary>
public abstract class ImageCmdlet : SavingCmdlet
{
    /// <summary>The model (gpt-image-1 when none is given).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ModelCompleter))]
    [EmptyCellTransformation]
    public string? Model { get; set; }

    /// <summary>The output size, e.g. 1024x1024, 1024x1536, 1536x1024 or auto, as the model allows (1024*1024 is accepted too).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SizeCompleter))]
    [EmptyCellTransformation(NumberIsNotGiven = true)]
    public string? Size { get; set; }

    /// <summary>The aspect ratio, e.g. 1:1, 3:2 or 16:9, for the models that take one instead of a size (gpt-image-2 on WaveSpeed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AspectRatioCompleter))]
    [EmptyCellTransformation]
    public string? AspectRatio { get; set; }

    /// <summary>1k, 2k or 4k, for the models that take a resolution (gpt-image-2 on WaveSpeed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResolutionCompleter))]
    [EmptyCellTransformation]
    public string? Resolution { get; set; }

    /// <summary>1 to 3 previews streamed before the final image and saved beside it (OpenAI; needs -OutputDirectory or -OutFile).</summary>
    [Parameter]
    [ValidateRange(1, 3)]
    public int PartialImages { get; set; }

    /// <summary>low, medium (the service's default) or high, where the model takes a quality.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(QualityCompleter))]
    [EmptyCellTransformation]
    public string? Quality { get; set; }

    /// <summary>auto, transparent or opaque (gpt-image-1.5).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BackgroundCompleter))]
    [EmptyCellTransformation]
    public string? Background { get; set; }

    /// <summary>Wait for each task to end and return the finished prediction (implied by -OutputDirectory and -OutFile).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>png, jpeg or webp.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OutputFormatCompleter))]
    [EmptyCellTransformation]
    public string? OutputFormat { get; set; }

    /// <summary>0–100, for jpeg and webp output (AIML API and OpenAI).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyCellTransformation(-1)]
    public int OutputCompression { get; set; } = -1;

    /// <summary>low or auto.</summary>
    [Parameter]
    [ValidateSet("low", "auto")]
    public string? Moderation { get; set; }

    /// <summary>Images per request.</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int Count { get; set; }

    /// <summary>The Images API output options from -OutputFormat (or -OutFile's extension, as <paramref name="save"/> reads it), -OutputCompression, -Moderation, -Count.</summary>
    private ImageOutputOptions OutputOptions(SaveOptions? save)
    {
        return new ImageOutputOptions
        {
            // -OutputFormat, else (where the provider takes a format) the one -OutFile's extension names.
            Format = OutputFormat is not null ? ImageFiles.FormatNamed(OutputFormat)
                : Client.Kind != ProviderKind.WaveSpeed ? save?.OutFileFormat : null,
            Compression = OutputCompression != -1 ? OutputCompression : null,
            Moderation = Moderation,
            Count = Count > 0 ? Count : null,
            ResponseFormat = ResponseFormat,
            AdditionalParameters = PowerShellValues.ToFields(AdditionalParameter),
        };
    }

    /// <summary>Ask WaveSpeed for the outputs inline as base64 (enable_base64_output) instead of URLs.</summary>
    [Parameter]
    public SwitchParameter Base64Output { get; set; }

    /// <summary>url or b64_json.</summary>
    [Parameter]
    [ValidateSet("url", "b64_json")]
    public string? ResponseFormat { get; set; }

    /// <summary>A URL WaveSpeed calls (POST, signed) when each task ends, for a receiver such as an Azure Function or an Automation webhook runbook (see Test-GptImageWebhookSignature, ConvertFrom-GptImageWebhook).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? WebhookUri { get; set; }

    /// <summary>Body fields the module does not know yet, sent as given.</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Collections.Hashtable? AdditionalParameter { get; set; }

    /// <summary>The file the image is saved to (a CSV row may carry its own).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyCellTransformation]
    public override string? OutFile { get => base.OutFile; set => base.OutFile = value; }

    /// <summary>
    /// The parameters as they are bound now as the template of a request (the operations add the prompt or the
    /// images); throws InvalidParameter when they are not valid.
    /// </summary>
    private protected ImageTemplate CurrentTemplate(WaitSettings settings) => new()
    {
        Provider = Client.Kind,
        Model = Model,
        Size = Size,
        AspectRatio = AspectRatio,
        Resolution = Resolution,
        PartialImages = PartialImages > 0 ? PartialImages : null,
        PartialImagesTo = settings.Save,
        Quality = Quality,
        Background = Background,
        SyncMode = SyncMode,
        Base64Output = Base64Output,
        Webhook = WebhookUri,
        Output = OutputOptions(settings.Save),
    };

    /// <summary>
    /// The call's template and settings, made from the command line before any input is read (a setting every input
    /// shares that is invalid, or outputs that could not be saved where asked, stop the cmdlet); <paramref name="complete"/>
    /// adds what a cmdlet's own parameters give. Warns once about a model id the catalogue does not know.
    /// </summary>
    private protected (ImageTemplate Template, WaitSettings Settings) BeginCall(Func<ImageTemplate, ImageTemplate> complete)
    {
        _commandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        var settings = WaitSettings(Wait);
        var template = OrStop(() => complete(CurrentTemplate(settings)));
        var probe = OrStop(template.Probe);
        if (probe.Warning is { } warning) { WriteWarning(warning); }
        if (settings.Save is { } save) { ValidateOrThrow(() => template.CheckSave(save)); }
        _call = (template, settings);
        return _call.Value;
    }

    private HashSet<string> _commandLine = new(StringComparer.OrdinalIgnoreCase);
    private (ImageTemplate Template, WaitSettings Settings)? _call;

    /// <summary>The values a record may carry (by property name) as they are bound now; a cmdlet adds its own.</summary>
    private protected virtual IEnumerable<(string Name, object? Value)> RowValues() => new (string, object?)[]
    {
        (nameof(Model), Model), (nameof(Size), Size), (nameof(AspectRatio), AspectRatio), (nameof(Resolution), Resolution),
        (nameof(Quality), Quality), (nameof(Background), Background),
        (nameof(OutputFormat), OutputFormat), (nameof(OutputCompression), OutputCompression == -1 ? null : OutputCompression),
        (nameof(OutFile), OutFile),
    };

    /// <summary>
    /// The template, settings and error target of the current record. A record that bound none of the values a row may
    /// carry gets the call's (and a null target: the operation names the input). Otherwise they are made from the
    /// values bound now — PowerShell gives each record its own and resets those a record lacks, the command line's
    /// stay — and the target is the row's values after <paramref name="identity"/> (New-GptImage's prompt); a row whose values are refused is a non-terminating error about
    /// it alone (null is returned).
    /// </summary>
    private protected (ImageTemplate Template, WaitSettings Settings, object? Target)? CurrentRow(Func<ImageTemplate, ImageTemplate> complete,
        params (string Name, object? Value)[] identity)
    {
        var own = RowValues().Where(v => !_commandLine.Contains(v.Name) && v.Value is not null && !(v.Value is string text && text.Length == 0)).ToList();
        if (own.Count == 0) { return (_call!.Value.Template, _call.Value.Settings, null); }
        var row = new PSObject();
        foreach (var (name, value) in identity.Concat(own)) { row.Properties.Add(new PSNoteProperty(name, value)); }
        try
        {
            var settings = CurrentWaitSettings(Wait);
            return (complete(CurrentTemplate(settings)), settings, row);
        }
        catch (GptImageException e) { WriteError(ErrorRecords.From(e, row)); }
        catch (SessionStateException e) { WriteError(new ErrorRecord(e, e.ErrorRecord.FullyQualifiedErrorId, e.ErrorRecord.CategoryInfo.Category, row)); }
        return null;
    }

    /// <summary>Ask the service to answer only when the task ends.</summary>
    [Parameter]
    public SwitchParameter SyncMode { get; set; }
}
