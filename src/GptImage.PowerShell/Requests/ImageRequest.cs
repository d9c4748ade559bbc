using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GptImage.Http;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>
/// One image task, validated against its model before anything is sent. Build it with
/// <see cref="Generate"/> or <see cref="Edit"/>; it does not change afterwards.
/// </summary>
internal sealed class ImageRequest
{
    private static readonly string[] Fidelities = { "high", "low" };

    private ImageRequest(ModelSpec spec, string prompt)
    {
        Spec = spec;
        Prompt = prompt;
    }

    /// <summary>The model operation.</summary>
    public ModelSpec Spec { get; }
    /// <summary>The prompt.</summary>
    public string Prompt { get; }
    /// <summary>Normalized size (WxH or auto), or null for the model's default.</summary>
    public string? Size { get; private set; }
    /// <summary>low, medium or high, or null for the default.</summary>
    public string? Quality { get; private set; }
    /// <summary>auto, transparent or opaque (gpt-image-1.5), or null.</summary>
    public string? Background { get; private set; }
    /// <summary>high or low (gpt-image-1.5 edit), or null.</summary>
    public string? InputFidelity { get; private set; }
    /// <summary>Input images, in order.</summary>
    public IReadOnlyList<ImageSource> Images { get; private set; } = Array.Empty<ImageSource>();
    /// <summary>The first input's local file (what the prediction's SourcePath and the {source} placeholder name), or null.</summary>
    public string? SourcePath => Images.Count > 0 ? Images[0].LocalPath : null;
    /// <summary>The mask (a PNG whose transparent pixels mark where to edit), or null.</summary>
    public ImageSource? Mask { get; private set; }
    /// <summary>Ask the service to answer the submit only when the task ends (it may give up after 90 s).</summary>
    public bool SyncMode { get; private set; }
    /// <summary>Ask for outputs as base64 in the result instead of URLs.</summary>
    public bool Base64Output { get; private set; }
    /// <summary>An https URL the service calls when the task ends.</summary>
    public Uri? Webhook { get; private set; }
    /// <summary>png, jpeg or webp (Images API), or null.</summary>
    public ImageFormat? OutputFormat { get; private set; }
    /// <summary>0–100 for jpeg/webp (Images API), or null.</summary>
    public int? OutputCompression { get; private set; }
    /// <summary>low or auto (Images API), or null.</summary>
    public string? Moderation { get; private set; }
    /// <summary>Images per request (Images API: n), or null for one.</summary>
    public int? Count { get; private set; }
    /// <summary>Body fields the module does not know yet, sent as given.</summary>
    public IReadOnlyDictionary<string, object?> AdditionalParameters { get; private set; } = new Dictionary<string, object?>();
    /// <summary>A warning for the user (a model id the catalogue does not know), or null.</summary>
    public string? Warning => Spec.IsKnown ? null
        : $"Model '{Spec.Name}' is not in GptImage's catalogue for {(Spec.Operation == ImageOperation.Edit ? "edits" : "text to image")} on {Spec.Provider}: " +
          "it is sent as given, and its parameters are left for the service to check.";
    /// <summary>The provider the request is for.</summary>
    public ProviderKind Provider => Spec.Provider;

    /// <summary>The public price of one image, or null when not published.</summary>
    public decimal? PricePerImage => Spec.PricePerImage(Size, Quality);

    /// <summary>A text-to-image request.</summary>
    public static ImageRequest Generate(string prompt, string? model = null, string? size = null, string? quality = null,
        string? background = null, bool syncMode = false, bool base64Output = false, Uri? webhook = null,
        ProviderKind provider = ProviderKind.WaveSpeed, ImageOutputOptions? output = null) =>
        Build(ModelCatalog.Get(model, ImageOperation.Generate, provider), prompt, size, quality, background, null,
            Array.Empty<ImageSource>(), null, syncMode, base64Output, webhook, output);

    /// <summary>An edit of one or more images.</summary>
    public static ImageRequest Edit(string prompt, IEnumerable<ImageSource> images, ImageSource? mask = null, string? model = null,
        string? size = null, string? quality = null, string? background = null, string? inputFidelity = null,
        bool syncMode = false, bool base64Output = false, Uri? webhook = null,
        ProviderKind provider = ProviderKind.WaveSpeed, ImageOutputOptions? output = null) =>
        Build(ModelCatalog.Get(model, ImageOperation.Edit, provider), prompt, size, quality, background, inputFidelity,
            (images ?? throw new ArgumentNullException(nameof(images))).ToArray(), mask, syncMode, base64Output, webhook, output);

    /// <summary>Checks every value against the model, in the order the user is told about them, and makes the request.</summary>
    private static ImageRequest Build(ModelSpec spec, string prompt, string? size, string? quality, string? background,
        string? inputFidelity, IReadOnlyList<ImageSource> images, ImageSource? mask, bool syncMode, bool base64Output, Uri? webhook,
        ImageOutputOptions? output)
    {
        output ??= new ImageOutputOptions();
        CheckPrompt(spec, prompt);
        var request = new ImageRequest(spec, prompt)
        {
            Size = Choose("Size", NormalizeSize(size), spec.Sizes, spec, m => m.Sizes.Count > 0),
            Quality = Choose("Quality", quality?.Trim().ToLowerInvariant(), spec.Qualities, spec, m => m.Qualities.Count > 0),
            Background = Choose("Background", background?.Trim().ToLowerInvariant(), spec.Backgrounds, spec, m => m.Backgrounds.Count > 0),
            InputFidelity = Choose("InputFidelity", inputFidelity?.Trim().ToLowerInvariant(),
                spec.SupportsInputFidelity ? Fidelities : Array.Empty<string>(), spec, m => m.SupportsInputFidelity),
            OutputFormat = ChooseFormat(output.Format, spec),
            Moderation = Choose("Moderation", output.Moderation?.Trim().ToLowerInvariant(), spec.Moderations, spec, m => m.Moderations.Count > 0),
            Images = images,
            Mask = mask,
            SyncMode = syncMode,
            Webhook = webhook,
        };
        request.Count = ChooseCount(spec, output.Count);
        request.OutputCompression = ChooseCompression(spec, output.Compression, request.OutputFormat);
        if (request.Background == "transparent" && request.OutputFormat == ImageFormat.Jpeg)
        {
            throw GptImageException.InvalidParameter("Background", "A transparent background needs OutputFormat png or webp; jpeg has no transparency.");
        }
        CheckInputs(spec, images, mask);
        if (spec.Provider != ProviderKind.WaveSpeed && (syncMode || webhook is not null))
        {
            throw GptImageException.InvalidParameter(syncMode ? "SyncMode" : "WebhookUri",
                $"{spec.Provider} answers synchronously: SyncMode and WebhookUri are WaveSpeed options.");
        }
        request.Base64Output = ResponseInBase64(spec.Provider, base64Output, output.ResponseFormat);
        CheckWebhook(webhook, base64Output);
        request.AdditionalParameters = AdditionalFields.Check(output.AdditionalParameters,
            multipart: spec.Provider != ProviderKind.WaveSpeed && spec.Operation == ImageOperation.Edit);
        return request;
    }

    private static void CheckPrompt(ModelSpec spec, string prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw GptImageException.InvalidParameter("Prompt", "The prompt is empty.");
        }
        if (prompt.Length > ModelCatalog.MaxPromptLength)
        {
            throw GptImageException.InvalidParameter("Prompt",
                $"The prompt has {prompt.Length} characters; {spec.Name} accepts at most {ModelCatalog.MaxPromptLength}.");
        }
    }

    /// <summary>Images per request (n): null when not given, and for a provider that takes no count (one image per task).</summary>
    private static int? ChooseCount(ModelSpec spec, int? count)
    {
        if (count is not { } n) { return null; }
        if (spec.IsKnown && spec.MaxCount == 0 && n != 1)
        {
            throw GptImageException.InvalidParameter("Count", $"{spec.Name} on {spec.Provider} makes one image per task; Count is taken by " +
                ModelCatalog.TakenBy(spec.Operation, m => m.MaxCount > 1) + ".");
        }
        if (n < 1 || n > Math.Max(1, spec.MaxCount))
        {
            throw GptImageException.InvalidParameter("Count", $"Count must be from 1 to {Math.Max(1, spec.MaxCount)} for {spec.Name} on {spec.Provider}; {n} given.");
        }
        return spec.MaxCount == 0 ? null : n;
    }

    private static int? ChooseCompression(ModelSpec spec, int? compression, ImageFormat? format)
    {
        if (compression is not { } value) { return null; }
        if (spec.IsKnown && !spec.SupportsCompression)
        {
            throw GptImageException.InvalidParameter("OutputCompression", $"{spec.Name} on {spec.Provider} does not take OutputCompression; it is taken by " +
                ModelCatalog.TakenBy(spec.Operation, m => m.SupportsCompression) + ".");
        }
        if (value < 0 || value > 100)
        {
            throw GptImageException.InvalidParameter("OutputCompression", $"OutputCompression must be from 0 to 100; {value} given.");
        }
        if (spec.IsKnown && format is not (ImageFormat.Jpeg or ImageFormat.WebP))
        {
            throw GptImageException.InvalidParameter("OutputCompression", "OutputCompression applies to jpeg and webp only; add -OutputFormat jpeg or webp.");
        }
        return value;
    }

    /// <summary>How many images an edit takes, and whether the model takes a mask.</summary>
    private static void CheckInputs(ModelSpec spec, IReadOnlyList<ImageSource> images, ImageSource? mask)
    {
        if (spec.Operation == ImageOperation.Edit && (images.Count == 0 || images.Count > spec.MaxImages))
        {
            throw GptImageException.InvalidParameter("Path",
                $"{spec.Name} edits take {(spec.MaxImages == 1 ? "exactly 1 image" : $"1 to {spec.MaxImages} images")}; {images.Count} given.");
        }
        if (mask is not null && spec.IsKnown && !spec.SupportsMask)
        {
            throw GptImageException.InvalidParameter("Mask", $"{spec.Name} on {spec.Provider} does not take a mask; it is taken by " +
                ModelCatalog.TakenBy(ImageOperation.Edit, m => m.SupportsMask) + ".");
        }
    }

    /// <summary>A webhook is absolute https (http only to this machine), carries no credentials, and is never paired with base64 output.</summary>
    private static void CheckWebhook(Uri? webhook, bool base64Output)
    {
        if (webhook is null) { return; }
        if (webhook.IsAbsoluteUri && webhook.UserInfo.Length > 0)
        {
            // Said without the URL: it holds the password.
            throw GptImageException.InvalidParameter("WebhookUri",
                "The webhook URL carries a user name or password (user:pass@). It would be handed to the service in a query string " +
                "and shown by -WhatIf and -Verbose; give the URL without it (deliveries are signed: check them with Test-GptImageWebhookSignature).");
        }
        if (!webhook.IsAbsoluteUri || !(webhook.Scheme == Uri.UriSchemeHttps || (webhook.Scheme == Uri.UriSchemeHttp && TransportOptions.IsLoopback(webhook))))
        {
            throw GptImageException.InvalidParameter("WebhookUri",
                $"The webhook must be an absolute https URL (plain http only to this machine); '{webhook}' is not.");
        }
        if (base64Output)
        {
            throw GptImageException.InvalidParameter("WebhookUri", "WaveSpeed does not send base64 output to a webhook (it refuses the pair): ask for one or the other.");
        }
    }

    /// <summary>
    /// Whether outputs come back inline as base64: -Base64Output on WaveSpeed (enable_base64_output), -ResponseFormat
    /// on the Images API (AIML API: url by default; OpenAI answers b64_json only). Each is refused where it does not apply.
    /// </summary>
    private static bool ResponseInBase64(ProviderKind provider, bool base64Output, string? responseFormat)
    {
        var format = responseFormat?.Trim().ToLowerInvariant();
        if (provider == ProviderKind.WaveSpeed)
        {
            if (format is { Length: > 0 })
            {
                throw GptImageException.InvalidParameter("ResponseFormat",
                    "ResponseFormat is taken by AimlApi and OpenAI (the Images API's response_format); on WaveSpeed use -Base64Output.");
            }
            return base64Output;
        }
        if (base64Output)
        {
            throw GptImageException.InvalidParameter("Base64Output",
                $"Base64Output is WaveSpeed's enable_base64_output; on {provider} use -ResponseFormat b64_json.");
        }
        if (format is { Length: > 0 } && format != "url" && format != "b64_json")
        {
            throw GptImageException.InvalidParameter("ResponseFormat", $"'{format}' is not a valid ResponseFormat. Allowed values: url, b64_json.");
        }
        if (provider == ProviderKind.OpenAI && format == "url")
        {
            throw GptImageException.InvalidParameter("ResponseFormat",
                "OpenAI answers gpt-image models with b64_json only and does not take response_format; url is taken by AimlApi.");
        }
        return provider == ProviderKind.OpenAI || format == "b64_json";
    }

    private static string? NormalizeSize(string? size) => size?.Trim().ToLowerInvariant().Replace('*', 'x');

    private static string? Choose(string parameter, string? value, IReadOnlyList<string> allowed, ModelSpec spec, Func<ModelSpec, bool> takes)
    {
        if (value is null || value.Length == 0) { return null; }
        CheckAllowed(parameter, value, allowed.Contains(value), allowed, spec, takes);
        return value;
    }

    private static ImageFormat? ChooseFormat(ImageFormat? format, ModelSpec spec)
    {
        if (format is not { } chosen) { return null; }
        CheckAllowed("OutputFormat", ImageFiles.Name(chosen), spec.OutputFormats.Contains(chosen), spec.OutputFormats.Select(ImageFiles.Name).ToList(),
            spec, m => m.OutputFormats.Count > 0);
        if (chosen == ImageFormat.Unknown)
        {
            // Even a model the catalogue does not know is sent a format's name, and Unknown has none.
            throw GptImageException.InvalidParameter("OutputFormat", "OutputFormat must be png, jpeg or webp.");
        }
        return chosen;
    }

    /// <summary>Refuses a value the model does not take; a model the catalogue does not know takes anything (the service checks).</summary>
    private static void CheckAllowed(string parameter, string value, bool isAllowed, IReadOnlyList<string> allowed, ModelSpec spec, Func<ModelSpec, bool> takes)
    {
        if (!spec.IsKnown || isAllowed) { return; }
        if (allowed.Count == 0)
        {
            throw GptImageException.InvalidParameter(parameter,
                $"{spec.Name} on {spec.Provider} does not take {parameter}; it is taken by {ModelCatalog.TakenBy(spec.Operation, takes)}.");
        }
        throw GptImageException.InvalidParameter(parameter,
            $"'{value}' is not a valid {parameter} for {spec.Name} on {spec.Provider}. Allowed values: {string.Join(", ", allowed)}.");
    }

    /// <summary>
    /// Checks every local input before anything is uploaded or sent: exists, is a file, is PNG/JPEG/WebP by
    /// its bytes and of a format the model takes, within the provider's size limit; a mask is a PNG of the first
    /// image's dimensions (read from the PNG, JPEG or WebP headers; every provider requires it), for the Images API under 4 MB.
    /// </summary>
    public void CheckLocalFiles()
    {
        // The cmdlets check before asking ShouldProcess and the client checks before sending: read the files once.
        if (_localFormats is not null) { return; }
        var formats = new Dictionary<string, ImageFormat>(StringComparer.Ordinal);
        foreach (var image in Images.Where(i => i.LocalPath is not null))
        {
            formats[image.LocalPath!] = ImageFiles.CheckInput(image.LocalPath!, isMask: false, Spec.MaxInputBytes, Spec.InputFormats,
                $"{Spec.Name} {Spec.Operation.ToString().ToLowerInvariant()} on {Spec.Provider}");
        }
        if (Mask?.LocalPath is not { } mask)
        {
            _localFormats = formats;
            return;
        }
        formats[mask] = ImageFiles.CheckInput(mask, isMask: true, Spec.MaxMaskBytes);
        if ((Images.Count > 0 ? Images[0].LocalPath : null) is { } first
            && ImageFiles.Dimensions(first) is { } imageSize
            && ImageFiles.Dimensions(mask) is { } maskSize && maskSize != imageSize)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile,
                $"The mask '{mask}' is {maskSize.Width}x{maskSize.Height}; it must match the first image's {imageSize.Width}x{imageSize.Height}.");
        }
        _localFormats = formats;
    }

    /// <summary>The formats of the local inputs, by path, once <see cref="CheckLocalFiles"/> has read them (null before).</summary>
    private Dictionary<string, ImageFormat>? _localFormats;

    /// <summary>The format <see cref="CheckLocalFiles"/> found for a local input or mask (it checks them first when it has not yet).</summary>
    internal ImageFormat LocalFormat(string path)
    {
        CheckLocalFiles();
        return _localFormats![path];
    }

    /// <summary>
    /// What this request asks, as a prediction: provider, model, prompt, size, quality, source file and output mode.
    /// A client makes the prediction of an answer from it (<c>new Prediction(request.Asked) { … }</c>).
    /// </summary>
    internal Prediction Asked => new()
    {
        Provider = Provider.ToString(),
        Model = Spec.Name,
        ModelId = Spec.ApiModelId,
        Prompt = Prompt,
        Size = Size,
        Quality = Quality,
        SourcePath = SourcePath,
        Base64Output = Base64Output,
    };

    /// <summary>The size as the provider's pages write it: W*H on WaveSpeed, WxH on the Images API.</summary>
    internal string? WireSize => Size is null or "auto" || Provider != ProviderKind.WaveSpeed ? Size : Size.Replace('x', '*');

    /// <summary>The quality the task runs at: the one asked for, else the model's default when it takes one.</summary>
    internal string? EffectiveQuality => Quality ?? (Spec.Qualities.Count > 0 ? ModelSpec.DefaultQuality : null);

    /// <summary>A one-line description for -WhatIf and -Verbose (never the key).</summary>
    public string Describe()
    {
        var parts = new List<string> { Spec.Provider == ProviderKind.WaveSpeed ? Spec.Name : $"{Spec.Name} on {Spec.Provider}" };
        if (Spec.Sizes.Count > 0 || Size is not null) { parts.Add("size " + (Size ?? Spec.DefaultSize)); }
        if (EffectiveQuality is { } quality) { parts.Add("quality " + quality); }
        if (Base64Output && Provider == ProviderKind.WaveSpeed) { parts.Add("base64 output"); }
        if (Webhook is not null) { parts.Add("webhook " + Webhook.GetLeftPart(UriPartial.Path)); }
        if (Background is not null) { parts.Add("background " + Background); }
        if (OutputFormat is { } format) { parts.Add(ImageFiles.Name(format) + (OutputCompression is { } c ? " " + c.ToString(CultureInfo.InvariantCulture) + "%" : "")); }
        if (Images.Count > 0) { parts.Add(Images.Count.ToString(CultureInfo.InvariantCulture) + (Images.Count == 1 ? " input image" : " input images")); }
        if (Count is > 1) { parts.Add(Count.Value.ToString(CultureInfo.InvariantCulture) + " images per request"); }
        if (Mask is not null) { parts.Add("mask"); }
        parts.Add(PricePerImage is { } price ? "$" + price.ToString("0.000", CultureInfo.InvariantCulture) + " per image" : "price not published");
        return string.Join(", ", parts);
    }
}
