using System;
using System.Management.Automation;
using System.Security;
using GptImage.Client;
using GptImage.Commands.Logic;

namespace GptImage.Commands;

/// <summary>A cmdlet that talks to the service: the key and retry parameters.</summary>
public abstract class ServiceCmdlet : GptImageCmdlet
{
    private IImageProvider? _provider;

    /// <summary>
    /// <para type="description">The API key for this call (a SecureString, e.g. from Get-Secret; a plain string is accepted).
    /// Without it, the key of Connect-GptImage or the WAVESPEED_API_KEY environment variable is used.</para>
    /// </summary>
    [Parameter]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>
    /// <para type="description">The provider for this call: WaveSpeed, AimlApi or OpenAI. Without it, the provider of
    /// Connect-GptImage (WaveSpeed by default). Another provider than the session's uses its own key variable
    /// (AIMLAPI_API_KEY, OPENAI_API_KEY) unless -ApiKey is given.</para>
    /// </summary>
    [Parameter]
    public ProviderKind Provider { get; set; }

    /// <summary>-Provider when it was given; otherwise null (the session's provider applies).</summary>
    protected ProviderKind? RequestedProvider => MyInvocation.BoundParameters.ContainsKey(nameof(Provider)) ? Provider : null;

    /// <summary>
    /// <para type="description">How many times a request that may be retried is retried (result queries, uploads, downloads;
    /// a submit only when it certainly never arrived or was answered 429). Default 5.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = -1;

    /// <summary>
    /// <para type="description">Seconds before the first retry; later retries double it, with jitter (capped at 30 s).
    /// A Retry-After from the service takes precedence.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; } = -1;

    /// <summary>The provider for this invocation (created in BeginProcessing).</summary>
    protected IImageProvider Client => _provider ??= CreateProvider(RequestedProvider, ApiKey,
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
    /// <summary>
    /// <para type="description">The longest time each input may take, in seconds (default 600): submit, uploads, waiting,
    /// downloads and their retries. Past it the error is GptImage.Timeout, and a submitted task keeps running on the service.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TimeoutSec { get; set; } = 600;

    /// <summary>
    /// <para type="description">The folder outputs are saved to (created when missing). Implies waiting.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    /// <summary>
    /// <para type="description">The file the image is saved to (further outputs of the same task, with -Count, get -1, -2...
    /// before the extension). Implies waiting. It takes one input: a further prompt, image or prediction is refused before
    /// anything is sent for it; use -OutputDirectory for several. With New-GptImage and Edit-GptImage, an extension naming
    /// another format than the answer's (PNG on WaveSpeed; elsewhere -OutputFormat, which the extension sets when not
    /// given) is refused before anything is sent.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>
    /// <para type="description">The output file name (without extension) with {id}, {index}, {source} (an edit's
    /// input file name followed by a dash), {model} and {date}, in any case; any other placeholder is refused. Default
    /// {source}{id}-{index}. Without {id} every prediction of one input gets the same name, so a further input that
    /// would take it is refused before anything is sent for it.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FileNameTemplate { get; set; }

    /// <summary>
    /// <para type="description">Overwrite existing files.</para>
    /// </summary>
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
    /// <summary>
    /// <para type="description">The model: gpt-image-1 (default), gpt-image-1-mini, gpt-image-1-high-fidelity (text to image only)
    /// or gpt-image-1.5. Tab completion lists them.</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = ModelCatalog.DefaultModel;

    /// <summary>
    /// <para type="description">The output size, e.g. 1024x1024, 1024x1536, 1536x1024 or auto, as the model allows
    /// (1024*1024 is accepted too). Tab completion offers the model's sizes.</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(SizeCompleter))]
    public string? Size { get; set; }

    /// <summary>
    /// <para type="description">low, medium (the service's default) or high, where the model takes a quality.</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(QualityCompleter))]
    public string? Quality { get; set; }

    /// <summary>
    /// <para type="description">auto, transparent or opaque (gpt-image-1.5).</para>
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(BackgroundCompleter))]
    public string? Background { get; set; }

    /// <summary>
    /// <para type="description">Wait for each task to end and return the finished prediction (implied by -OutputDirectory and -OutFile).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// <para type="description">png, jpeg or webp (AIML API and OpenAI; WaveSpeed answers PNG). Taken from -OutFile's extension when not given.</para>
    /// </summary>
    [Parameter]
    [ValidateSet("png", "jpeg", "jpg", "webp")]
    public string? OutputFormat { get; set; }

    /// <summary>
    /// <para type="description">0–100, for jpeg and webp output (AIML API and OpenAI).</para>
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int OutputCompression { get; set; } = -1;

    /// <summary>
    /// <para type="description">low or auto: the strictness of the provider's content moderation (AIML API and OpenAI, text to image only: the edit endpoint does not take it, and Edit-GptImage refuses it naming New-GptImage).</para>
    /// </summary>
    [Parameter]
    [ValidateSet("low", "auto")]
    public string? Moderation { get; set; }

    /// <summary>
    /// <para type="description">Images per request (OpenAI: 1–10; AIML API: 1). Each is an output of the same prediction.</para>
    /// </summary>
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

    /// <summary>
    /// <para type="description">Ask WaveSpeed for the outputs inline as base64 (enable_base64_output) instead of URLs: they are
    /// decoded to files as the answer streams in. WaveSpeed only (on AIML API use -ResponseFormat b64_json); not together with -WebhookUri.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Base64Output { get; set; }

    /// <summary>
    /// <para type="description">url or b64_json: how the Images API returns images (AIML API; its default is url). OpenAI
    /// answers gpt-image models with b64_json only, so url is refused there. Not on WaveSpeed (use -Base64Output).</para>
    /// </summary>
    [Parameter]
    [ValidateSet("url", "b64_json")]
    public string? ResponseFormat { get; set; }

    /// <summary>
    /// <para type="description">A URL WaveSpeed calls (POST, signed) when each task ends, for a receiver such as an Azure Function
    /// or an Automation webhook runbook (see Test-GptImageWebhookSignature, ConvertFrom-GptImageWebhook). https, or plain http
    /// only to this machine. WaveSpeed only; not together with -Base64Output.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? WebhookUri { get; set; }

    /// <summary>
    /// <para type="description">Body fields the module does not know yet, sent as given (strings, numbers, booleans; arrays and
    /// hashtables of them in JSON bodies). A field GptImage sets from its own parameters is refused. Known models keep their
    /// local checks of everything else.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public System.Collections.Hashtable? AdditionalParameter { get; set; }

    /// <summary>Writes the request's warning (a model id the catalogue does not know), once per invocation.</summary>
    protected void WarnAbout(ImageRequest probe)
    {
        if (probe.Warning is { } warning) { WriteWarning(warning); }
    }

    /// <summary>
    /// <para type="description">Ask the service to answer only when the task ends (it gives up after 90 s; the task is then polled, never submitted again).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SyncMode { get; set; }
}
