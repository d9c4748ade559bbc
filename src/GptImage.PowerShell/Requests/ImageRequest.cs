using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>
/// One image task, validated against its model before anything is sent. Make it with <see cref="ImageTemplate"/>
/// (its rules are <see cref="RequestRules"/>'s); it does not change afterwards.
/// </summary>
internal sealed class ImageRequest
{
    internal ImageRequest(ModelSpec spec, string prompt)
    {
        Spec = spec;
        Prompt = prompt;
    }

    /// <summary>The model operation.</summary>
    public ModelSpec Spec { get; }
    /// <summary>The prompt.</summary>
    public string Prompt { get; }
    /// <summary>Normalized size (WxH or auto), or null for the model's default.</summary>
    public string? Size { get; internal init; }
    /// <summary>An aspect ratio such as 16:9 (WaveSpeed's gpt-image-2), or null.</summary>
    public string? AspectRatio { get; internal init; }
    /// <summary>1k, 2k or 4k (WaveSpeed's gpt-image-2), or null.</summary>
    public string? Resolution { get; internal init; }
    /// <summary>How many partial images the answer streams before the final one (OpenAI: stream, partial_images), or null for no stream.</summary>
    public int? PartialImages { get; internal init; }
    /// <summary>Where partial images are written (beside the final image, see <see cref="Files.PartialImageFiles"/>); set with <see cref="PartialImages"/>.</summary>
    public Files.SaveOptions? PartialImagesTo { get; internal init; }
    /// <summary>Told of each partial image written (the caller's progress), or null.</summary>
    public Action<Files.PartialImageSaved>? PartialImageSaved { get; private set; }
    /// <summary>low, medium or high, or null for the default.</summary>
    public string? Quality { get; internal init; }
    /// <summary>auto, transparent or opaque (gpt-image-1.5), or null.</summary>
    public string? Background { get; internal init; }
    /// <summary>high or low (gpt-image-1.5 edit), or null.</summary>
    public string? InputFidelity { get; internal init; }
    /// <summary>Input images, in order.</summary>
    public IReadOnlyList<ImageSource> Images { get; internal init; } = Array.Empty<ImageSource>();
    /// <summary>The first input's local file (what the prediction's SourcePath and the {source} placeholder name), or null.</summary>
    public string? SourcePath => Images.Count > 0 ? Images[0].LocalPath : null;
    /// <summary>The mask (a PNG whose transparent pixels mark where to edit), or null.</summary>
    public ImageSource? Mask { get; internal init; }
    /// <summary>Ask the service to answer the submit only when the task ends (it may give up after 90 s).</summary>
    public bool SyncMode { get; internal init; }
    /// <summary>Ask for outputs as base64 in the result instead of URLs.</summary>
    public bool Base64Output { get; internal init; }
    /// <summary>An https URL the service calls when the task ends.</summary>
    public Uri? Webhook { get; internal init; }
    /// <summary>png, jpeg or webp (Images API), or null.</summary>
    public ImageFormat? OutputFormat { get; internal init; }
    /// <summary>0–100 for jpeg/webp (Images API), or null.</summary>
    public int? OutputCompression { get; internal init; }
    /// <summary>low or auto (Images API), or null.</summary>
    public string? Moderation { get; internal init; }
    /// <summary>Images per request (Images API: n), or null for one.</summary>
    public int? Count { get; internal init; }
    /// <summary>Body fields the module does not know yet, sent as given.</summary>
    public IReadOnlyDictionary<string, object?> AdditionalParameters { get; internal init; } = new Dictionary<string, object?>();
    /// <summary>A warning for the user (a model id the catalogue does not know), or null.</summary>
    public string? Warning => Spec.IsKnown ? null
        : $"Model '{Spec.Name}' is not in GptImage's catalogue for {(Spec.Operation == ImageOperation.Edit ? "edits" : "text to image")} on {Spec.Provider}: " +
          "it is sent as given, and its parameters are left for the service to check.";
    /// <summary>The provider the request is for.</summary>
    public ProviderKind Provider => Spec.Provider;

    /// <summary>The public price of one image, or null when not published.</summary>
    public decimal? PricePerImage => Spec.PricePerImage(Size, Quality);

    /// <summary>
    /// The request for <paramref name="prompt"/> and <paramref name="images"/> with the settings of
    /// <paramref name="template"/> (the one way to make one: <see cref="ImageTemplate.Generate"/> and
    /// <see cref="ImageTemplate.Edit"/> call it); throws InvalidParameter when <see cref="RequestRules"/> refuse it.
    /// </summary>
    public static ImageRequest Create(ImageTemplate template, ImageOperation operation, string prompt, IEnumerable<ImageSource> images)
    {
        if (template is null) { throw new ArgumentNullException(nameof(template)); }
        var spec = ModelCatalog.Get(template.Model, operation, template.Provider);
        return RequestRules.Build(spec, prompt, (images ?? throw new ArgumentNullException(nameof(images))).ToArray(), template);
    }

    /// <summary>
    /// Checks every local input before anything is uploaded or sent (see <see cref="RequestRules.LocalFormats"/>);
    /// the cmdlets check before asking ShouldProcess and the client checks before sending, so the files are read once.
    /// </summary>
    public void CheckLocalFiles() => _localFormats ??= RequestRules.LocalFormats(this);

    /// <summary>The formats of the local inputs, by path, once <see cref="CheckLocalFiles"/> has read them (null before).</summary>
    private Dictionary<string, ImageFormat>? _localFormats;

    /// <summary>The format <see cref="CheckLocalFiles"/> found for a local input or mask (it checks them first when it has not yet).</summary>
    internal ImageFormat LocalFormat(string path)
    {
        CheckLocalFiles();
        return _localFormats![path];
    }

    /// <summary>A copy of this request that tells <paramref name="saved"/> of each partial image written (the request itself does not change).</summary>
    internal ImageRequest Reporting(Action<Files.PartialImageSaved> saved)
    {
        var copy = (ImageRequest)MemberwiseClone();
        copy.PartialImageSaved = saved;
        return copy;
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
        // The values the task runs at, defaults included, so a prediction says what its price says.
        Size = EffectiveSize,
        Quality = EffectiveQuality,
        SourcePath = SourcePath,
        Base64Output = Base64Output,
    };

    /// <summary>The size as the provider's pages write it: W*H on WaveSpeed, WxH on the Images API.</summary>
    internal string? WireSize => Size is null or "auto" || Provider != ProviderKind.WaveSpeed ? Size : Size.Replace('x', '*');

    /// <summary>The size the task runs at: the one asked for, else the model's default when it takes a size.</summary>
    internal string? EffectiveSize => Size ?? (Spec.Sizes.Count > 0 ? Spec.DefaultSize : null);

    /// <summary>The quality the task runs at: the one asked for, else the model's default when it takes one.</summary>
    internal string? EffectiveQuality => Quality ?? (Spec.Qualities.Count > 0 ? Spec.DefaultQuality : null);

    /// <summary>A one-line description for -WhatIf and -Verbose (never the key).</summary>
    public string Describe()
    {
        var parts = new List<string> { Spec.Provider == ProviderKind.WaveSpeed ? Spec.Name : $"{Spec.Name} on {Spec.Provider}" };
        if (EffectiveSize is { } size) { parts.Add("size " + size); }
        if (AspectRatio is { } ratio) { parts.Add("aspect ratio " + ratio); }
        if (Resolution is { } resolution) { parts.Add("resolution " + resolution); }
        if (EffectiveQuality is { } quality) { parts.Add("quality " + quality); }
        if (PartialImages is { } partials) { parts.Add(partials.ToString(CultureInfo.InvariantCulture) + " partial image" + (partials == 1 ? "" : "s")); }
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
