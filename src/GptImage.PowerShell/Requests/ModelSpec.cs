using System;
using System.Collections.Generic;
using System.Linq;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>One model operation as WaveSpeed serves it: its id, parameters, defaults, limits and public price.</summary>
internal sealed class ModelSpec
{
    internal ModelSpec(string name, ImageOperation operation, string apiModelId, ProviderKind provider = ProviderKind.WaveSpeed, bool isKnown = true)
    {
        IsKnown = isKnown;
        Name = name;
        Operation = operation;
        ApiModelId = apiModelId;
        Provider = provider;
    }

    /// <summary>The quality the service uses when none is asked for (where the model takes one).</summary>
    public string DefaultQuality { get; internal set; } = "medium";

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
    public IReadOnlyList<ImageFormat> OutputFormats { get; internal set; } = Array.Empty<ImageFormat>();
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
    /// <summary>Accepted aspect ratios (WaveSpeed's aspect_ratio); empty when the model takes none.</summary>
    public IReadOnlyList<string> AspectRatios { get; internal set; } = Array.Empty<string>();
    /// <summary>Accepted resolutions (WaveSpeed's resolution: 1k, 2k, 4k); empty when the model takes none.</summary>
    public IReadOnlyList<string> Resolutions { get; internal set; } = Array.Empty<string>();
    /// <summary>Whether any WxH within <see cref="FlexibleSize"/>'s rules is taken besides <see cref="Sizes"/> (gpt-image-2 on the Images API).</summary>
    public bool FlexibleSizes { get; internal set; }
    /// <summary>Most partial images a streamed request may ask for (the Images API's partial_images); 0 when the provider documents no streaming.</summary>
    public int MaxPartialImages { get; internal set; }
    /// <summary>USD per million tokens (text input, image input, output) for a token-priced model, or null.</summary>
    public (decimal TextInput, decimal ImageInput, decimal Output)? TokenRates { get; internal set; }
    /// <summary>What the price figure is, when it is not a per-image price of its own (a starting price, say); null otherwise.</summary>
    public string? PriceNote { get; internal set; }
    internal Func<string, string, decimal?> PriceFunction { get; set; } = (_, _) => null;

    /// <summary>The public price per image in USD for a size and quality, or null when not published.</summary>
    public decimal? PricePerImage(string? size, string? quality) =>
        PriceFunction(size ?? DefaultSize, quality ?? DefaultQuality);

    /// <summary>The published price of <paramref name="images"/> images, named as an estimate; (null, null) when none is published.</summary>
    internal (decimal? Usd, string? Source) Estimate(string? size, string? quality, int images)
    {
        if (PricePerImage(size, quality) is not { } price) { return (null, null); }
        // Only the values the model takes: a model without sizes (gpt-image-2 on WaveSpeed) is not priced "at 1024x1024".
        var values = string.Join(", ", new[] { Sizes.Count > 0 ? size ?? DefaultSize : null, Qualities.Count > 0 ? quality ?? DefaultQuality : null }.Where(v => v is not null));
        var what = values.Length > 0 ? " at " + values : string.Empty;
        var note = PriceNote is null ? string.Empty : $" ({PriceNote})";
        return (price * Math.Max(1, images), $"estimate: published price of {Name}{what}, {Math.Max(1, images)} × ${price.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}{note}");
    }

    /// <summary>
    /// The price of a token-priced model from the tokens an answer reports (<see cref="TokenRates"/>), named as an estimate;
    /// else the per-image estimate (<see cref="Estimate(string?, string?, int)"/>).
    /// </summary>
    internal (decimal? Usd, string? Source) Estimate(string? size, string? quality, int images, long? textInput, long? imageInput, long? output)
    {
        if (TokenRates is not { } rates || output is not { } outputTokens) { return Estimate(size, quality, images); }
        var text = textInput ?? 0;
        var image = imageInput ?? 0;
        var usd = ((text * rates.TextInput) + (image * rates.ImageInput) + (outputTokens * rates.Output)) / 1_000_000m;
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return (usd, $"estimate: {text.ToString(c)} text input, {image.ToString(c)} image input and {outputTokens.ToString(c)} output tokens reported, at " +
            $"${rates.TextInput.ToString("0.##", c)}, ${rates.ImageInput.ToString("0.##", c)} and ${rates.Output.ToString("0.##", c)} per million for {Name}{(PriceNote is null ? string.Empty : $" ({PriceNote})")}");
    }
}
