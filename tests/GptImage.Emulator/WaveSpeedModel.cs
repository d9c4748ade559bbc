using System.Text.Json;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>What the real service accepts for one model id (shared/api/wavespeed.md).</summary>
internal sealed record WaveSpeedModel(
    string Id,
    string[]? Sizes,
    string DefaultSize,
    bool Quality,
    bool Background,
    ImageInputs Images,
    int MaxImages,
    bool Mask,
    bool InputFidelity,
    string[]? AspectRatios = null,
    string[]? Resolutions = null)
{
    public const int MaxPromptLength = 32000;
    private static readonly string[] Qualities = ["low", "medium", "high"];
    private static readonly string[] Backgrounds = ["auto", "transparent", "opaque"];
    private static readonly string[] Fidelities = ["high", "low"];
    private static readonly string[] Gpt2Ratios = ["1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    private static readonly string[] Gpt2Resolutions = ["1k", "2k", "4k"];

    public static readonly IReadOnlyDictionary<string, WaveSpeedModel> All = new[]
    {
        new WaveSpeedModel("openai/gpt-image-1/text-to-image", ["1024x1024", "1024x1536", "1536x1024"], "1024x1024", true, false, ImageInputs.None, 0, false, false),
        new WaveSpeedModel("openai/gpt-image-1", ["auto", "1024x1024", "1024x1536", "1536x1024"], "auto", true, false, ImageInputs.Single, 1, true, false),
        new WaveSpeedModel("openai/gpt-image-1-high-fidelity", null, "1024x1024", false, false, ImageInputs.None, 0, false, false),
        new WaveSpeedModel("openai/gpt-image-1-mini/text-to-image", null, "1024x1024", false, false, ImageInputs.None, 0, false, false),
        new WaveSpeedModel("openai/gpt-image-1-mini/edit", null, "auto", false, false, ImageInputs.Many, 4, false, false),
        new WaveSpeedModel("openai/gpt-image-1.5/text-to-image", ["auto", "1024x1024", "1024x1536", "1536x1024"], "1024x1024", true, true, ImageInputs.None, 0, false, false),
        new WaveSpeedModel("openai/gpt-image-1.5/edit", ["auto", "1024x1024", "1024x1536", "1536x1024"], "auto", true, true, ImageInputs.Many, 16, false, true),
        // wavespeed.ai/docs/docs-api/openai/openai-gpt-image-2-text-to-image and -edit: aspect_ratio, resolution, quality; no size.
        new WaveSpeedModel("openai/gpt-image-2/text-to-image", null, "1024x1024", true, false, ImageInputs.None, 0, false, false, Gpt2Ratios, Gpt2Resolutions),
        new WaveSpeedModel("openai/gpt-image-2/edit", null, "1024x1024", true, false, ImageInputs.Many, 16, false, false, Gpt2Ratios, Gpt2Resolutions),
    }.ToDictionary(m => m.Id, StringComparer.Ordinal);

    /// <summary>Every submit body may carry these (shared/api/wavespeed.md), as JSON booleans.</summary>
    private static readonly string[] Common = ["enable_sync_mode", "enable_base64_output"];

    /// <summary>The body fields this model's page documents.</summary>
    public IEnumerable<string> Fields()
    {
        yield return "prompt";
        if (Sizes is not null) { yield return "size"; }
        if (AspectRatios is not null) { yield return "aspect_ratio"; }
        if (Resolutions is not null) { yield return "resolution"; }
        if (Quality) { yield return "quality"; }
        if (Background) { yield return "background"; }
        if (InputFidelity) { yield return "input_fidelity"; }
        if (Images == ImageInputs.Single) { yield return "image"; }
        if (Images == ImageInputs.Many) { yield return "images"; }
        if (Mask) { yield return "mask_image"; }
        foreach (var common in Common) { yield return common; }
    }

    /// <summary>
    /// The 400 message the service gives, or null when the body is acceptable. A field the page does not list
    /// is refused (so a misspelt or misplaced field cannot pass silently) unless <paramref name="extraFields"/>.
    /// </summary>
    public string? Validate(JsonObject body, bool extraFields = false) =>
        FieldProblem(body, extraFields) ?? PromptProblem(body) ?? ValueProblem(body) ?? ImagesProblem(body);

    /// <summary>A field the page does not list, or of another JSON type than the page's.</summary>
    private string? FieldProblem(JsonObject body, bool extraFields)
    {
        var fields = Fields().ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in body)
        {
            if (!fields.Contains(name))
            {
                if (extraFields) { continue; }
                return $"{name}: unknown parameter for {Id}; it takes {string.Join(", ", fields)}";
            }
            var kind = value?.GetValueKind();
            var expected = Common.Contains(name) ? "boolean" : name == "images" ? "array" : "string";
            var ok = expected switch
            {
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                "array" => kind == JsonValueKind.Array,
                _ => kind == JsonValueKind.String,
            };
            if (!ok) { return $"{name}: must be a JSON {expected}"; }
        }
        return null;
    }

    private static string? PromptProblem(JsonObject body)
    {
        var prompt = Str(body, "prompt");
        if (string.IsNullOrWhiteSpace(prompt)) { return "prompt: field required"; }
        return prompt.Length > MaxPromptLength ? $"prompt: must be at most {MaxPromptLength} characters" : null;
    }

    /// <summary>A size, quality, background or input fidelity the page does not list.</summary>
    private string? ValueProblem(JsonObject body)
    {
        if (Sizes is not null && body["size"] is not null)
        {
            // The pages write sizes W*H; a WxH spelling is refused as the service may refuse it.
            var size = Str(body, "size");
            if (size is null || (size != "auto" && size.Contains('x', StringComparison.Ordinal)) || !Sizes.Contains(NormalizeSize(size)))
            {
                return $"size: must be one of {string.Join(", ", Sizes.Select(WireSize))}";
            }
        }
        if (AspectRatios is not null && body["aspect_ratio"] is not null && !AspectRatios.Contains(Str(body, "aspect_ratio")))
        {
            return $"aspect_ratio: must be one of {string.Join(", ", AspectRatios)}";
        }
        if (Resolutions is not null && body["resolution"] is not null && !Resolutions.Contains(Str(body, "resolution")))
        {
            return $"resolution: must be one of {string.Join(", ", Resolutions)}";
        }
        if (Quality && body["quality"] is not null && !Qualities.Contains(Str(body, "quality")))
        {
            return "quality: must be one of low, medium, high";
        }
        if (Background && body["background"] is not null && !Backgrounds.Contains(Str(body, "background")))
        {
            return "background: must be one of auto, transparent, opaque";
        }
        if (InputFidelity && body["input_fidelity"] is not null && !Fidelities.Contains(Str(body, "input_fidelity")))
        {
            return "input_fidelity: must be one of high, low";
        }
        return null;
    }

    /// <summary>Input images and the mask: present as the model takes them, and http(s) URLs.</summary>
    private string? ImagesProblem(JsonObject body)
    {
        switch (Images)
        {
            case ImageInputs.Single:
                var image = Str(body, "image");
                if (string.IsNullOrEmpty(image)) { return "image: field required"; }
                if (!IsUrl(image)) { return "image: must be a valid http(s) URL"; }
                break;
            case ImageInputs.Many:
                if (body["images"] is not JsonArray images || images.Count == 0) { return "images: field required (1 to " + MaxImages + " URLs)"; }
                if (images.Count > MaxImages) { return $"images: at most {MaxImages} images are allowed"; }
                if (images.Any(i => i is not JsonValue v || !v.TryGetValue<string>(out var s) || !IsUrl(s)))
                {
                    return "images: every item must be a valid http(s) URL";
                }
                break;
            default:
                break;
        }
        if (Mask && body["mask_image"] is not null && !IsUrl(Str(body, "mask_image")))
        {
            return "mask_image: must be a valid http(s) URL";
        }
        return null;
    }

    /// <summary>Output dimensions for a valid body.</summary>
    public (int Width, int Height) OutputSize(JsonObject body)
    {
        if (AspectRatios is not null)
        {
            // The emulator's own reading (the pages publish no pixel sizes): the long side 1024, 2048 or 4096 by resolution, the short one by ratio.
            var ratio = (Str(body, "aspect_ratio") ?? "1:1").Split(':').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var side = (Str(body, "resolution") ?? "1k") switch { "2k" => 2048, "4k" => 4096, _ => 1024 };
            return ratio[0] >= ratio[1] ? (side, side * ratio[1] / ratio[0]) : (side * ratio[0] / ratio[1], side);
        }
        var size = NormalizeSize(Str(body, "size")) ?? DefaultSize;
        var parts = (size == "auto" ? "1024x1024" : size).Split('x');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The public price per image (USD).</summary>
    public decimal Price(JsonObject body)
    {
        if (Id.Contains("mini", StringComparison.Ordinal)) { return 0.02m; }
        if (AspectRatios is not null) { return 0.06m; }
        var square = OutputSize(body) is (1024, 1024);
        return (Str(body, "quality") ?? "medium") switch
        {
            "low" => square ? 0.011m : 0.016m,
            "high" => square ? 0.167m : 0.25m,
            _ => square ? 0.042m : 0.063m,
        };
    }

    public static IEnumerable<string> ImageUrls(JsonObject body)
    {
        if (Str(body, "image") is { } image) { yield return image; }
        if (Str(body, "mask_image") is { } mask) { yield return mask; }
        if (body["images"] is JsonArray images)
        {
            foreach (var i in images) { if (i?.GetValue<string>() is { } s) { yield return s; } }
        }
    }

    private static string? NormalizeSize(string? size) => size?.Replace('*', 'x');

    /// <summary>A size as the pages write it: 1024*1024, or auto.</summary>
    public static string WireSize(string size) => size.Replace('x', '*');

    private static bool IsUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static string? Str(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
