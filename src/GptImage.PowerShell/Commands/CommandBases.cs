using System;
using System.Management.Automation;
using System.Security;
using GptImage.Client;
using GptImage.Operations;

namespace GptImage.Commands;

/// <summary>A cmdlet that talks to the service: the key and retry parameters.</summary>
public abstract class ServiceCmdlet : GptImageCmdlet
{
    private IImageApiClient? _provider;

    /// <summary>The API key for this call.</summary>
    [Parameter]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>The provider for this call.</summary>
    [Parameter]
    public ProviderKind Provider { get; set; }

    /// <summary>-Provider when it was given; otherwise null (the session's provider applies).</summary>
    protected ProviderKind? RequestedProvider => MyInvocation.BoundParameters.ContainsKey(nameof(Provider)) ? Provider : null;

    /// <summary>How many times a request that may be retried is retried.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = -1;

    /// <summary>Seconds before the first retry.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; } = -1;

    /// <summary>The provider for this invocation (created in BeginProcessing).</summary>
    protected IImageApiClient Client => _provider ??= CreateProvider(RequestedProvider, ApiKey,
        MaximumRetryCount >= 0 ? MaximumRetryCount : null, RetryIntervalSec >= 0 ? RetryIntervalSec : null, RequiresKey);

    /// <summary>Whether the cmdlet cannot start without a key (Save-GptImage downloads without one).</summary>
    protected virtual bool RequiresKey => true;

    /// <summary>Stops the cmdlet, before anything is sent, when this call's provider is not WaveSpeed.</summary>
    protected void RequireWaveSpeed(string feature) => ValidateOrThrow(() => AccountOperations.RequireWaveSpeed(EffectiveProvider, feature));

    /// <summary>The provider this call goes to.</summary>
    protected ProviderKind EffectiveProvider => GptImageSession.ResolveProvider(RequestedProvider);

    /// <inheritdoc />
    protected override void BeginProcessing() => _ = Client;
}

/// <summary>A cmdlet that waits and saves: timeout and output location parameters.</summary>
public abstract class SavingCmdlet : ServiceCmdlet
{
    /// <summary>The longest time each input may take, in seconds (default 600).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TimeoutSec { get; set; } = 600;

    /// <summary>The folder outputs are saved to (created when missing).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    /// <summary>The file the image is saved to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>The output file name (without extension) with {id}, {index}, {source} (an edit's input file name followed by a dash), {model} and {date}, in any case.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FileNameTemplate { get; set; }

    /// <summary>Overwrite existing files.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Where to save, from -OutputDirectory / -OutFile, or null.</summary>
    protected SaveOptions? BuildSave()
    {
        SaveOptions? save = null;
        var directory = UnresolvedPath(OutputDirectory);
        var outFile = UnresolvedPath(OutFile);
        ValidateOrThrow(() => save = SaveOptions.FromParameters(directory, outFile, FileNameTemplate, Force));
        return save;
    }

    /// <summary>The wait and save settings.</summary>
    protected WaitSettings BuildWaitSettings(bool wait) => new()
    {
        Wait = wait,
        Timeout = TimeSpan.FromSeconds(TimeoutSec),
        Save = BuildSave(),
    };
}

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

    /// <summary>
    /// Refuses, before anything is sent, a destination the outputs could not be saved to: an -OutFile named for
    /// another format than the answer's or already there (without -Force), a folder that is a file or read-only.
    /// </summary>
    protected void CheckDestination(SaveOptions? save)
    {
        var format = EffectiveProvider == ProviderKind.WaveSpeed ? null : OutputOptions().Format;
        ValidateOrThrow(() => save?.CheckOutFileFormat(format ?? "png"));
        ValidateOrThrow(() => save?.CheckDestination());
    }

    /// <summary>The Images API output options from -OutputFormat (or -OutFile's extension), -OutputCompression, -Moderation, -Count.</summary>
    protected ImageOutputOptions OutputOptions()
    {
        var format = OutputFormat;
        if (format is null && OutFile is not null && EffectiveProvider != ProviderKind.WaveSpeed)
        {
            var named = ImageFiles.FormatNamed(System.IO.Path.GetExtension(OutFile));
            format = named == ImageFormat.Unknown ? null : ImageFiles.Name(named);
        }
        return new ImageOutputOptions
        {
            Format = format,
            Compression = OutputCompression >= 0 ? OutputCompression : null,
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

    /// <summary>Writes the request's warning (a model id the catalogue does not know), once per invocation.</summary>
    protected void WarnAbout(ImageRequest probe)
    {
        if (probe.Warning is { } warning) { WriteWarning(warning); }
    }

    /// <summary>Ask the service to answer only when the task ends.</summary>
    [Parameter]
    public SwitchParameter SyncMode { get; set; }
}
