using System;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Files;
using GptImage.Images;
using GptImage.Operations;
using GptImage.Requests;

namespace GptImage.Commands.Base;

/// <summary>A cmdlet that submits image tasks: model, size, quality, background, -Wait and -SyncMode.</summary>
public abstract class ImageCmdlet : SavingCmdlet
{
    /// <summary>The model.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = ModelCatalog.DefaultModel;

    /// <summary>The output size, e.g. 1024x1024, 1024x1536, 1536x1024 or auto, as the model allows (1024*1024 is accepted too).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SizeCompleter))]
    public string? Size { get; set; }

    /// <summary>low, medium (the service's default) or high, where the model takes a quality.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QualityCompleter))]
    public string? Quality { get; set; }

    /// <summary>auto, transparent or opaque (gpt-image-1.5).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(BackgroundCompleter))]
    public string? Background { get; set; }

    /// <summary>Wait for each task to end and return the finished prediction (implied by -OutputDirectory and -OutFile).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>png, jpeg or webp.</summary>
    [Parameter]
    [ValidateSet("png", "jpeg", "jpg", "webp")]
    public string? OutputFormat { get; set; }

    /// <summary>0–100, for jpeg and webp output (AIML API and OpenAI).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
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
            Compression = OutputCompression >= 0 ? OutputCompression : null,
            Moderation = Moderation,
            Count = Count > 0 ? Count : null,
            ResponseFormat = ResponseFormat,
            AdditionalParameters = OrStop(() => PowerShellValues.ToFields(AdditionalParameter)),
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

    /// <summary>This call's parameters as the template of every input's request (the operations add the prompt or the images).</summary>
    private protected ImageTemplate Template(WaitSettings settings) => new()
    {
        Provider = Client.Kind,
        Model = Model,
        Size = Size,
        Quality = Quality,
        Background = Background,
        SyncMode = SyncMode,
        Base64Output = Base64Output,
        Webhook = WebhookUri,
        Output = OutputOptions(settings.Save),
    };

    /// <summary>
    /// Stops the cmdlet before any input is read when a setting every input shares is invalid, or the outputs could not
    /// be saved where asked; warns once about a model id the catalogue does not know. Everything is read from the
    /// template and settings the operation will get, so nothing is worked out twice.
    /// </summary>
    private protected void Check(ImageTemplate template, WaitSettings settings)
    {
        var probe = OrStop(template.Probe);
        if (probe.Warning is { } warning) { WriteWarning(warning); }
        if (settings.Save is not { } save) { return; }
        // An -OutFile named for another format than the answer's (PNG on WaveSpeed), or already there, or a folder
        // that is a file or read-only, is refused before anything is sent.
        var answered = template.Provider == ProviderKind.WaveSpeed ? null : template.Output?.Format;
        ValidateOrThrow(() => save.CheckOutFileFormat(answered ?? ImageFormat.Png));
        ValidateOrThrow(save.CheckDestination);
    }

    /// <summary>Ask the service to answer only when the task ends.</summary>
    [Parameter]
    public SwitchParameter SyncMode { get; set; }
}
