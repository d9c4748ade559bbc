using System;
using System.Collections.Generic;
using System.Linq;

namespace GptImage.Client;

/// <summary>Generate from text, or edit given images.</summary>
public enum ImageOperation
{
    /// <summary>Text to image.</summary>
    Generate,
    /// <summary>Image(s) plus text to image.</summary>
    Edit,
}

/// <summary>How a model takes its input images.</summary>
public enum ImageParameter
{
    /// <summary>No input image.</summary>
    None,
    /// <summary><c>image</c>: one URL.</summary>
    One,
    /// <summary><c>images</c>: an array of URLs.</summary>
    Many,
}

/// <summary>One model operation as WaveSpeed serves it: its id, parameters, defaults, limits and public price.</summary>
public sealed class ModelSpec
{
    internal ModelSpec(string name, ImageOperation operation, string apiModelId, ProviderKind provider = ProviderKind.WaveSpeed, bool isKnown = true)
    {
        IsKnown = isKnown;
        Name = name;
        Operation = operation;
        ApiModelId = apiModelId;
        Provider = provider;
    }

    /// <summary>Whether the catalogue knows this model; an unknown id is sent as given, its parameters unchecked.</summary>
    public bool IsKnown { get; }
    /// <summary>The user-facing model name, e.g. gpt-image-1.</summary>
    public string Name { get; }
    /// <summary>Generate or edit.</summary>
    public ImageOperation Operation { get; }
    /// <summary>The provider's model id: WaveSpeed's submit path, or the Images API's "model" field.</summary>
    public string ApiModelId { get; }
    /// <summary>The provider serving this model operation.</summary>
    public ProviderKind Provider { get; }
    /// <summary>Accepted output formats; empty when the provider takes none (WaveSpeed answers PNG).</summary>
    public IReadOnlyList<string> OutputFormats { get; internal set; } = Array.Empty<string>();
    /// <summary>Accepted moderation levels; empty when the provider takes none.</summary>
    public IReadOnlyList<string> Moderations { get; internal set; } = Array.Empty<string>();
    /// <summary>Most images one request may ask for (n); 0 when the provider takes no count.</summary>
    public int MaxCount { get; internal set; }
    /// <summary>Whether output_compression (jpeg/webp) is accepted.</summary>
    public bool SupportsCompression { get; internal set; }
    /// <summary>Largest local input file.</summary>
    public long MaxInputBytes { get; internal set; } = ImageFiles.MaxUploadBytes;
    /// <summary>Largest mask file (the Images API: under 4 MB), or the input limit.</summary>
    public long MaxMaskBytes { get; internal set; } = ImageFiles.MaxUploadBytes;
    /// <summary>Accepted sizes (normalized WxH or auto); empty when the model takes no size.</summary>
    public IReadOnlyList<string> Sizes { get; internal set; } = Array.Empty<string>();
    /// <summary>The size used when none is given.</summary>
    public string DefaultSize { get; internal set; } = "1024x1024";
    /// <summary>Accepted qualities; empty when the model takes none.</summary>
    public IReadOnlyList<string> Qualities { get; internal set; } = Array.Empty<string>();
    /// <summary>Accepted backgrounds; empty when the model takes none.</summary>
    public IReadOnlyList<string> Backgrounds { get; internal set; } = Array.Empty<string>();
    /// <summary>How input images are passed.</summary>
    public ImageParameter Images { get; internal set; }
    /// <summary>Most input images one task takes.</summary>
    public int MaxImages { get; internal set; }
    /// <summary>Whether mask_image is accepted.</summary>
    public bool SupportsMask { get; internal set; }
    /// <summary>Whether input_fidelity is accepted.</summary>
    public bool SupportsInputFidelity { get; internal set; }
    /// <summary>The input image formats the model's page lists; null for PNG, JPEG and WebP.</summary>
    public IReadOnlyList<ImageFormat>? InputFormats { get; internal set; }
    internal Func<string, string, decimal?> PriceFunction { get; set; } = (_, _) => null;

    /// <summary>The public price per image in USD for a size and quality, or null when not published.</summary>
    public decimal? PricePerImage(string? size, string? quality) =>
        PriceFunction(size ?? DefaultSize, quality ?? "medium");

    /// <summary>The published price of <paramref name="images"/> images, named as an estimate; (null, null) when none is published.</summary>
    internal (decimal? Usd, string? Source) Estimate(string? size, string? quality, int images)
    {
        if (PricePerImage(size, quality) is not { } price) { return (null, null); }
        var what = Sizes.Count > 0 || Qualities.Count > 0 ? $" at {size ?? DefaultSize}, {quality ?? "medium"}" : string.Empty;
        return (price * Math.Max(1, images), $"estimate: published price of {Name}{what}, {Math.Max(1, images)} × ${price.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}");
    }
}

/// <summary>The models GptImage knows, by name and operation.</summary>
public static class ModelCatalog
{
    /// <summary>The default model.</summary>
    public const string DefaultModel = "gpt-image-1";

    /// <summary>Longest prompt every model accepts.</summary>
    public const int MaxPromptLength = 32000;

    private static readonly string[] Standard = { "1024x1024", "1024x1536", "1536x1024" };
    private static readonly string[] WithAuto = { "auto", "1024x1024", "1024x1536", "1536x1024" };
    private static readonly string[] Levels = { "low", "medium", "high" };
    private static readonly string[] BackgroundValues = { "auto", "transparent", "opaque" };
    private static readonly string[] WithAutoQuality = { "low", "medium", "high", "auto" };
    private static readonly string[] Formats = { "png", "jpeg", "webp" };
    private static readonly string[] ModerationValues = { "low", "auto" };

    private static decimal? GptImage1Price(string size, string quality)
    {
        var square = size == "1024x1024" || size == "auto";
        return quality switch
        {
            "low" => square ? 0.011m : 0.016m,
            "high" => square ? 0.167m : 0.25m,
            _ => square ? 0.042m : 0.063m,
        };
    }

    /// <summary>Every known model operation, per provider.</summary>
    public static IReadOnlyList<ModelSpec> All { get; } = new[]
    {
        new ModelSpec("gpt-image-1", ImageOperation.Generate, "openai/gpt-image-1/text-to-image")
        {
            Sizes = Standard, Qualities = Levels, PriceFunction = GptImage1Price,
        },
        new ModelSpec("gpt-image-1", ImageOperation.Edit, "openai/gpt-image-1")
        {
            Sizes = WithAuto, DefaultSize = "auto", Qualities = Levels,
            Images = ImageParameter.One, MaxImages = 1, SupportsMask = true,
        },
        new ModelSpec("gpt-image-1-high-fidelity", ImageOperation.Generate, "openai/gpt-image-1-high-fidelity"),
        new ModelSpec("gpt-image-1-mini", ImageOperation.Generate, "openai/gpt-image-1-mini/text-to-image")
        {
            PriceFunction = (_, _) => 0.02m,
        },
        new ModelSpec("gpt-image-1-mini", ImageOperation.Edit, "openai/gpt-image-1-mini/edit")
        {
            DefaultSize = "auto", Images = ImageParameter.Many, MaxImages = 4, PriceFunction = (_, _) => 0.02m,
            InputFormats = new[] { ImageFormat.Png, ImageFormat.Jpeg },
        },
        new ModelSpec("gpt-image-1.5", ImageOperation.Generate, "openai/gpt-image-1.5/text-to-image")
        {
            Sizes = WithAuto, Qualities = Levels, Backgrounds = BackgroundValues,
        },
        new ModelSpec("gpt-image-1.5", ImageOperation.Edit, "openai/gpt-image-1.5/edit")
        {
            Sizes = WithAuto, DefaultSize = "auto", Qualities = Levels, Backgrounds = BackgroundValues,
            Images = ImageParameter.Many, MaxImages = 16, SupportsInputFidelity = true,
        },
        ImagesApi("gpt-image-1", ImageOperation.Generate, "openai/gpt-image-1", ProviderKind.AimlApi),
        ImagesApi("gpt-image-1", ImageOperation.Edit, "openai/gpt-image-1", ProviderKind.AimlApi),
        ImagesApi("gpt-image-1", ImageOperation.Generate, "gpt-image-1", ProviderKind.OpenAI),
        ImagesApi("gpt-image-1", ImageOperation.Edit, "gpt-image-1", ProviderKind.OpenAI),
        ImagesApi("gpt-image-1-mini", ImageOperation.Generate, "gpt-image-1-mini", ProviderKind.OpenAI),
        ImagesApi("gpt-image-1-mini", ImageOperation.Edit, "gpt-image-1-mini", ProviderKind.OpenAI),
        ImagesApi("gpt-image-1.5", ImageOperation.Generate, "gpt-image-1.5", ProviderKind.OpenAI),
        ImagesApi("gpt-image-1.5", ImageOperation.Edit, "gpt-image-1.5", ProviderKind.OpenAI),
    };

    /// <summary>A model on the OpenAI-style Images API (shared/api/aimlapi.md); OpenAI also takes auto, n up to 10 and input_fidelity.</summary>
    private static ModelSpec ImagesApi(string name, ImageOperation operation, string id, ProviderKind provider)
    {
        var openAi = provider == ProviderKind.OpenAI;
        return new ModelSpec(name, operation, id, provider)
        {
            Sizes = openAi ? WithAuto : Standard,
            DefaultSize = "1024x1024",
            Qualities = openAi ? WithAutoQuality : Levels,
            Backgrounds = BackgroundValues,
            OutputFormats = Formats,
            // The edit endpoint does not list moderation (shared/api/aimlapi.md): generations only.
            Moderations = operation == ImageOperation.Generate ? ModerationValues : Array.Empty<string>(),
            MaxCount = openAi ? 10 : 1,
            SupportsCompression = true,
            Images = operation == ImageOperation.Edit ? ImageParameter.Many : ImageParameter.None,
            MaxImages = operation == ImageOperation.Edit ? 16 : 0,
            SupportsMask = operation == ImageOperation.Edit,
            SupportsInputFidelity = openAi && operation == ImageOperation.Edit,
            MaxInputBytes = 50L * 1024 * 1024,
            MaxMaskBytes = (4L * 1024 * 1024) - 1,
            PriceFunction = name == "gpt-image-1" ? GptImage1Price : (_, _) => null,
        };
    }

    /// <summary>Where a parameter is taken, for messages: "gpt-image-1 (AimlApi), …".</summary>
    internal static string TakenBy(ImageOperation operation, Func<ModelSpec, bool> takes)
    {
        var list = All.Where(m => m.Operation == operation && takes(m)).Select(m => $"{m.Name} ({m.Provider})").ToList();
        if (list.Count > 0) { return string.Join(", ", list); }
        // Nothing of this operation takes it: say where it does apply (e.g. moderation: text to image only).
        var other = operation == ImageOperation.Edit ? ImageOperation.Generate : ImageOperation.Edit;
        var elsewhere = All.Where(m => m.Operation == other && takes(m)).Select(m => $"{m.Name} ({m.Provider})").ToList();
        return elsewhere.Count == 0 ? "no model"
            : $"no {(operation == ImageOperation.Edit ? "edit" : "text-to-image")} endpoint; it applies to {(other == ImageOperation.Edit ? "edits (Edit-GptImage)" : "text to image (New-GptImage)")} on " + string.Join(", ", elsewhere);
    }

    /// <summary>The spec for a model, operation and provider; throws InvalidParameter naming the allowed values.</summary>
    public static ModelSpec Get(string? model, ImageOperation operation, ProviderKind provider = ProviderKind.WaveSpeed)
    {
        var name = string.IsNullOrWhiteSpace(model) ? DefaultModel : model!.Trim();
        var candidates = All.Where(m => m.Operation == operation && m.Provider == provider).ToList();
        var match = candidates.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? candidates.FirstOrDefault(m => string.Equals(m.ApiModelId, name, StringComparison.OrdinalIgnoreCase));
        if (match is not null) { return match; }
        if (All.Any(m => m.Provider == provider && (string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.ApiModelId, name, StringComparison.OrdinalIgnoreCase))))
        {
            throw GptImageException.InvalidParameter("Model",
                $"Model '{name}' does not support {(operation == ImageOperation.Edit ? "editing" : "text to image")} on {provider}. " +
                $"Allowed values for {operation} on {provider}: {string.Join(", ", candidates.Select(m => m.Name))}.");
        }
        return Unknown(name, operation, provider);
    }

    /// <summary>
    /// A model id the catalogue does not know (the services keep adding models): sent as given, with the request shape
    /// of the newest models (WaveSpeed edits: an images array), and no local checks of its values.
    /// </summary>
    private static ModelSpec Unknown(string id, ImageOperation operation, ProviderKind provider)
    {
        var edit = operation == ImageOperation.Edit;
        var imagesApi = provider != ProviderKind.WaveSpeed;
        return new ModelSpec(id, operation, id, provider, isKnown: false)
        {
            DefaultSize = "auto",
            MaxCount = imagesApi ? 10 : 0,
            Images = edit ? ImageParameter.Many : ImageParameter.None,
            MaxImages = edit ? 16 : 0,
            MaxInputBytes = imagesApi ? 50L * 1024 * 1024 : ImageFiles.MaxUploadBytes,
            MaxMaskBytes = imagesApi ? (4L * 1024 * 1024) - 1 : ImageFiles.MaxUploadBytes,
        };
    }
}
