using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GptImage.Client;

/// <summary>An input image: a local file (uploaded first) or a URL the service can read.</summary>
public sealed class ImageSource
{
    private ImageSource(string? path, Uri? uri)
    {
        LocalPath = path;
        Uri = uri;
    }

    /// <summary>The full path of a local file, or null.</summary>
    public string? LocalPath { get; }

    /// <summary>The URL, or null for a local file.</summary>
    public Uri? Uri { get; }

    /// <summary>A local file; it is checked and uploaded before the submit.</summary>
    public static ImageSource FromFile(string fullPath) => new(fullPath ?? throw new ArgumentNullException(nameof(fullPath)), null);

    /// <summary>An http(s) URL.</summary>
    public static ImageSource FromUri(Uri uri)
    {
        if (uri is null) { throw new ArgumentNullException(nameof(uri)); }
        if (!uri.IsAbsoluteUri || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw GptImageException.InvalidParameter("Uri", $"'{uri}' is not an absolute http or https URL.");
        }
        return new(null, uri);
    }

    /// <inheritdoc />
    public override string ToString() => LocalPath ?? Uri!.ToString();
}

/// <summary>Output options of the OpenAI-style Images API (refused by WaveSpeed).</summary>
public sealed class ImageOutputOptions
{
    /// <summary>png, jpeg (jpg) or webp.</summary>
    public string? Format { get; init; }
    /// <summary>0–100, jpeg/webp only.</summary>
    public int? Compression { get; init; }
    /// <summary>low or auto.</summary>
    public string? Moderation { get; init; }
    /// <summary>Images per request (n).</summary>
    public int? Count { get; init; }
}

/// <summary>
/// One image task, validated against its model before anything is sent. Build it with
/// <see cref="Generate"/> or <see cref="Edit"/>; it does not change afterwards.
/// </summary>
public sealed class ImageRequest
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
    /// <summary>The mask (a PNG whose transparent pixels mark where to edit), or null.</summary>
    public ImageSource? Mask { get; private set; }
    /// <summary>Ask the service to answer the submit only when the task ends (it may give up after 90 s).</summary>
    public bool SyncMode { get; private set; }
    /// <summary>Ask for outputs as base64 in the result instead of URLs.</summary>
    public bool Base64Output { get; private set; }
    /// <summary>An https URL the service calls when the task ends.</summary>
    public Uri? Webhook { get; private set; }
    /// <summary>png, jpeg or webp (Images API), or null.</summary>
    public string? OutputFormat { get; private set; }
    /// <summary>0–100 for jpeg/webp (Images API), or null.</summary>
    public int? OutputCompression { get; private set; }
    /// <summary>low or auto (Images API), or null.</summary>
    public string? Moderation { get; private set; }
    /// <summary>Images per request (Images API: n), or null for one.</summary>
    public int? Count { get; private set; }
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

    private static ImageRequest Build(ModelSpec spec, string prompt, string? size, string? quality, string? background,
        string? inputFidelity, IReadOnlyList<ImageSource> images, ImageSource? mask, bool syncMode, bool base64Output, Uri? webhook,
        ImageOutputOptions? output)
    {
        output ??= new ImageOutputOptions();
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw GptImageException.InvalidParameter("Prompt", "The prompt is empty.");
        }
        if (prompt.Length > ModelCatalog.MaxPromptLength)
        {
            throw GptImageException.InvalidParameter("Prompt",
                $"The prompt has {prompt.Length} characters; {spec.Name} accepts at most {ModelCatalog.MaxPromptLength}.");
        }
        var request = new ImageRequest(spec, prompt)
        {
            Size = Choose("Size", NormalizeSize(size), spec.Sizes, spec, m => m.Sizes.Count > 0),
            Quality = Choose("Quality", quality?.Trim().ToLowerInvariant(), spec.Qualities, spec, m => m.Qualities.Count > 0),
            Background = Choose("Background", background?.Trim().ToLowerInvariant(), spec.Backgrounds, spec, m => m.Backgrounds.Count > 0),
            InputFidelity = Choose("InputFidelity", inputFidelity?.Trim().ToLowerInvariant(),
                spec.SupportsInputFidelity ? Fidelities : Array.Empty<string>(), spec, m => m.SupportsInputFidelity),
            OutputFormat = Choose("OutputFormat", NormalizeFormat(output.Format), spec.OutputFormats, spec, m => m.OutputFormats.Count > 0),
            Moderation = Choose("Moderation", output.Moderation?.Trim().ToLowerInvariant(), spec.Moderations, spec, m => m.Moderations.Count > 0),
            Images = images,
            Mask = mask,
            SyncMode = syncMode,
            Base64Output = base64Output,
            Webhook = webhook,
        };
        if (output.Count is { } count)
        {
            if (spec.MaxCount == 0 && count != 1)
            {
                throw GptImageException.InvalidParameter("Count", $"{spec.Name} on {spec.Provider} makes one image per task; Count is taken by " +
                    ModelCatalog.TakenBy(spec.Operation, m => m.MaxCount > 1) + ".");
            }
            if (count < 1 || count > Math.Max(1, spec.MaxCount))
            {
                throw GptImageException.InvalidParameter("Count", $"Count must be from 1 to {Math.Max(1, spec.MaxCount)} for {spec.Name} on {spec.Provider}; {count} given.");
            }
            request.Count = spec.MaxCount == 0 ? null : count;
        }
        if (output.Compression is { } compression)
        {
            if (!spec.SupportsCompression)
            {
                throw GptImageException.InvalidParameter("OutputCompression", $"{spec.Name} on {spec.Provider} does not take OutputCompression; it is taken by " +
                    ModelCatalog.TakenBy(spec.Operation, m => m.SupportsCompression) + ".");
            }
            if (compression < 0 || compression > 100)
            {
                throw GptImageException.InvalidParameter("OutputCompression", $"OutputCompression must be from 0 to 100; {compression} given.");
            }
            if (request.OutputFormat is not ("jpeg" or "webp"))
            {
                throw GptImageException.InvalidParameter("OutputCompression", "OutputCompression applies to jpeg and webp only; add -OutputFormat jpeg or webp.");
            }
            request.OutputCompression = compression;
        }
        if (request.Background == "transparent" && request.OutputFormat == "jpeg")
        {
            throw GptImageException.InvalidParameter("Background", "A transparent background needs OutputFormat png or webp; jpeg has no transparency.");
        }
        if (spec.Operation == ImageOperation.Edit && (images.Count == 0 || images.Count > spec.MaxImages))
        {
            throw GptImageException.InvalidParameter("Path",
                $"{spec.Name} edits take {(spec.MaxImages == 1 ? "exactly 1 image" : $"1 to {spec.MaxImages} images")}; {images.Count} given.");
        }
        if (mask is not null && !spec.SupportsMask)
        {
            throw GptImageException.InvalidParameter("Mask", $"{spec.Name} on {spec.Provider} does not take a mask; it is taken by " +
                ModelCatalog.TakenBy(ImageOperation.Edit, m => m.SupportsMask) + ".");
        }
        if (spec.Provider != ProviderKind.WaveSpeed && (syncMode || webhook is not null))
        {
            throw GptImageException.InvalidParameter(syncMode ? "SyncMode" : "Webhook",
                $"{spec.Provider} answers synchronously: SyncMode and Webhook are WaveSpeed options.");
        }
        if (webhook is not null)
        {
            if (!webhook.IsAbsoluteUri || webhook.Scheme != "https")
            {
                throw GptImageException.InvalidParameter("Webhook", $"The webhook must be an absolute https URL; '{webhook}' is not.");
            }
            if (base64Output)
            {
                throw GptImageException.InvalidParameter("Webhook", "The service does not send base64 output to a webhook; ask for one or the other.");
            }
        }
        return request;
    }

    private static string? NormalizeFormat(string? format) => format?.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        null or "" => null,
        "jpg" => "jpeg",
        var f => f,
    };

    private static string? NormalizeSize(string? size) => size?.Trim().ToLowerInvariant().Replace('*', 'x');

    private static string? Choose(string parameter, string? value, IReadOnlyList<string> allowed, ModelSpec spec, Func<ModelSpec, bool> takes)
    {
        if (value is null || value.Length == 0) { return null; }
        if (allowed.Count == 0)
        {
            throw GptImageException.InvalidParameter(parameter,
                $"{spec.Name} on {spec.Provider} does not take {parameter}; it is taken by {ModelCatalog.TakenBy(spec.Operation, takes)}.");
        }
        if (!allowed.Contains(value))
        {
            throw GptImageException.InvalidParameter(parameter,
                $"'{value}' is not a valid {parameter} for {spec.Name} on {spec.Provider}. Allowed values: {string.Join(", ", allowed)}.");
        }
        return value;
    }

    /// <summary>
    /// Checks every local input before anything is uploaded or sent: exists, is a file, is PNG/JPEG/WebP by
    /// its bytes, within the provider's size limit; a mask is a PNG of the first image's dimensions (read from
    /// the PNG headers; every provider requires it), for the Images API under 4 MB.
    /// </summary>
    public void CheckLocalFiles()
    {
        // The cmdlets check before asking ShouldProcess and the client checks before sending: read the files once.
        if (_localFilesChecked) { return; }
        foreach (var image in Images.Where(i => i.LocalPath is not null))
        {
            ImageFiles.CheckInput(image.LocalPath!, isMask: false, Spec.MaxInputBytes);
        }
        if (Mask?.LocalPath is not { } mask)
        {
            _localFilesChecked = true;
            return;
        }
        ImageFiles.CheckInput(mask, isMask: true, Spec.MaxMaskBytes);
        if ((Images.Count > 0 ? Images[0].LocalPath : null) is { } first
            && ImageFiles.PngSize(ImageFiles.ReadHead(first)) is { } imageSize
            && ImageFiles.PngSize(ImageFiles.ReadHead(mask)) is { } maskSize && maskSize != imageSize)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile,
                $"The mask '{mask}' is {maskSize.Width}x{maskSize.Height}; it must match the first image's {imageSize.Width}x{imageSize.Height}.");
        }
        _localFilesChecked = true;
    }

    private bool _localFilesChecked;

    /// <summary>The size as this model's documentation writes it (1024*1024 or 1024x1024).</summary>
    internal string? WireSize => Size?.Replace('x', Size == "auto" ? 'x' : Spec.SizeSeparator);

    /// <summary>A one-line description for -WhatIf and -Verbose (never the key).</summary>
    public string Describe()
    {
        var parts = new List<string> { Spec.Provider == ProviderKind.WaveSpeed ? Spec.Name : $"{Spec.Name} on {Spec.Provider}" };
        if (Spec.Sizes.Count > 0) { parts.Add("size " + (Size ?? Spec.DefaultSize)); }
        if (Spec.Qualities.Count > 0) { parts.Add("quality " + (Quality ?? "medium")); }
        if (Background is not null) { parts.Add("background " + Background); }
        if (OutputFormat is not null) { parts.Add(OutputFormat + (OutputCompression is { } c ? " " + c.ToString(CultureInfo.InvariantCulture) + "%" : "")); }
        if (Images.Count > 0) { parts.Add(Images.Count.ToString(CultureInfo.InvariantCulture) + (Images.Count == 1 ? " input image" : " input images")); }
        if (Count is > 1) { parts.Add(Count.Value.ToString(CultureInfo.InvariantCulture) + " images per request"); }
        if (Mask is not null) { parts.Add("mask"); }
        parts.Add(PricePerImage is { } price ? "$" + price.ToString("0.000", CultureInfo.InvariantCulture) + " per image" : "price not published");
        return string.Join(", ", parts);
    }
}
