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

    /// <summary>The public price of one image, or null when not published.</summary>
    public decimal? PricePerImage => Spec.PricePerImage(Size, Quality);

    /// <summary>A text-to-image request.</summary>
    public static ImageRequest Generate(string prompt, string? model = null, string? size = null, string? quality = null,
        string? background = null, bool syncMode = false, bool base64Output = false, Uri? webhook = null) =>
        Build(ModelCatalog.Get(model, ImageOperation.Generate), prompt, size, quality, background, null,
            Array.Empty<ImageSource>(), null, syncMode, base64Output, webhook);

    /// <summary>An edit of one or more images.</summary>
    public static ImageRequest Edit(string prompt, IEnumerable<ImageSource> images, ImageSource? mask = null, string? model = null,
        string? size = null, string? quality = null, string? background = null, string? inputFidelity = null,
        bool syncMode = false, bool base64Output = false, Uri? webhook = null) =>
        Build(ModelCatalog.Get(model, ImageOperation.Edit), prompt, size, quality, background, inputFidelity,
            (images ?? throw new ArgumentNullException(nameof(images))).ToArray(), mask, syncMode, base64Output, webhook);

    private static ImageRequest Build(ModelSpec spec, string prompt, string? size, string? quality, string? background,
        string? inputFidelity, IReadOnlyList<ImageSource> images, ImageSource? mask, bool syncMode, bool base64Output, Uri? webhook)
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
        var request = new ImageRequest(spec, prompt)
        {
            Size = Choose("Size", NormalizeSize(size), spec.Sizes, spec),
            Quality = Choose("Quality", quality?.Trim().ToLowerInvariant(), spec.Qualities, spec),
            Background = Choose("Background", background?.Trim().ToLowerInvariant(), spec.Backgrounds, spec),
            InputFidelity = Choose("InputFidelity", inputFidelity?.Trim().ToLowerInvariant(),
                spec.SupportsInputFidelity ? Fidelities : Array.Empty<string>(), spec),
            Images = images,
            Mask = mask,
            SyncMode = syncMode,
            Base64Output = base64Output,
            Webhook = webhook,
        };
        if (spec.Operation == ImageOperation.Edit && (images.Count == 0 || images.Count > spec.MaxImages))
        {
            throw GptImageException.InvalidParameter("Path",
                $"{spec.Name} edits take {(spec.MaxImages == 1 ? "exactly 1 image" : $"1 to {spec.MaxImages} images")}; {images.Count} given.");
        }
        if (mask is not null && !spec.SupportsMask)
        {
            throw GptImageException.InvalidParameter("Mask", $"{spec.Name} does not take a mask; models that do: " +
                string.Join(", ", ModelCatalog.All.Where(m => m.SupportsMask).Select(m => m.Name)) + ".");
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

    private static string? NormalizeSize(string? size) => size?.Trim().ToLowerInvariant().Replace('*', 'x');

    private static string? Choose(string parameter, string? value, IReadOnlyList<string> allowed, ModelSpec spec)
    {
        if (value is null || value.Length == 0) { return null; }
        if (allowed.Count == 0)
        {
            throw GptImageException.InvalidParameter(parameter,
                $"{spec.Name} ({spec.Operation}) does not take {parameter}; models that do: " +
                string.Join(", ", ModelCatalog.All.Where(m => m.Operation == spec.Operation && Allowed(m, parameter).Count > 0).Select(m => m.Name)) + ".");
        }
        if (!allowed.Contains(value))
        {
            throw GptImageException.InvalidParameter(parameter,
                $"'{value}' is not a valid {parameter} for {spec.Name}. Allowed values: {string.Join(", ", allowed)}.");
        }
        return value;
    }

    private static IReadOnlyList<string> Allowed(ModelSpec m, string parameter) => parameter switch
    {
        "Size" => m.Sizes,
        "Quality" => m.Qualities,
        "Background" => m.Backgrounds,
        _ => m.SupportsInputFidelity ? Fidelities : Array.Empty<string>(),
    };

    /// <summary>The size as this model's documentation writes it (1024*1024 or 1024x1024).</summary>
    internal string? WireSize => Size?.Replace('x', Size == "auto" ? 'x' : Spec.SizeSeparator);

    /// <summary>A one-line description for -WhatIf and -Verbose (never the key).</summary>
    public string Describe()
    {
        var parts = new List<string> { Spec.Name };
        if (Spec.Sizes.Count > 0) { parts.Add("size " + (Size ?? Spec.DefaultSize)); }
        if (Spec.Qualities.Count > 0) { parts.Add("quality " + (Quality ?? "medium")); }
        if (Background is not null) { parts.Add("background " + Background); }
        if (Images.Count > 0) { parts.Add(Images.Count + (Images.Count == 1 ? " image" : " images")); }
        if (Mask is not null) { parts.Add("mask"); }
        parts.Add(PricePerImage is { } price ? "$" + price.ToString("0.000", CultureInfo.InvariantCulture) + " per image" : "price not published");
        return string.Join(", ", parts);
    }
}
