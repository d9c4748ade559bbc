using System;
using System.Collections.Generic;
using System.Linq;
using GptImage.Http;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>The models GptImage knows, by name and operation.</summary>
internal static class ModelCatalog
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
    private static readonly ImageFormat[] Formats = { ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP };
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
        GptImage2Specs.OpenAi(ImageOperation.Generate, ImagesApi("gpt-image-2", ImageOperation.Generate, "gpt-image-2", ProviderKind.OpenAI)),
        GptImage2Specs.OpenAi(ImageOperation.Edit, ImagesApi("gpt-image-2", ImageOperation.Edit, "gpt-image-2", ProviderKind.OpenAI)),
    }.Concat(GptImage2Specs.WaveSpeed())
        .Concat(AzureOpenAI("gpt-image-1", "high")).Concat(AzureOpenAI("gpt-image-1-mini", "medium")).Concat(AzureOpenAI("gpt-image-1.5", "high")).ToArray();

    /// <summary>
    /// A model on Azure OpenAI, as Microsoft's "How to use Azure OpenAI image generation models" lists it
    /// (learn.microsoft.com/azure/ai-foundry/openai/how-to/dall-e): base64 only; sizes 1024x1024, 1024x1536, 1536x1024;
    /// quality low, medium or high (default high, medium for -mini); n 1–10; PNG or JPEG; edits with images and a mask.
    /// The request goes to the deployment that serves it (<c>-Deployment</c>), so the model is not sent.
    /// </summary>
    private static ModelSpec[] AzureOpenAI(string name, string defaultQuality) =>
        new[] { ImageOperation.Generate, ImageOperation.Edit }.Select(operation =>
        {
            var spec = ImagesApi(name, operation, name, ProviderKind.AzureOpenAI);
            spec.Sizes = Standard;
            spec.Qualities = Levels;
            spec.DefaultQuality = defaultQuality;
            spec.OutputFormats = new[] { ImageFormat.Png, ImageFormat.Jpeg };
            spec.Moderations = Array.Empty<string>();
            spec.SupportsInputFidelity = false;
            // Microsoft's reference for these api-versions documents no streamed partial images: -PartialImages is refused there.
            spec.MaxPartialImages = 0;
            return spec;
        }).ToArray();

    /// <summary>A model on the OpenAI-style Images API (shared/api/aimlapi.md); OpenAI also takes auto, n up to 10 and input_fidelity.</summary>
    private static ModelSpec ImagesApi(string name, ImageOperation operation, string id, ProviderKind provider)
    {
        var openAi = provider.SpeaksOpenAI();
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
            // Streaming: OpenAI's stream with partial_images 0-3 (openai 6.49.0 resources/images.d.ts); AIML API documents none.
            MaxPartialImages = openAi ? 3 : 0,
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
        if (ApiUrl.ModelIdProblem(name) is { } problem)
        {
            // An id the catalogue does not know becomes part of the request URL: it may name a model, nothing else.
            throw GptImageException.InvalidParameter("Model", $"The model id '{Untrusted.Text(name)}' {problem}. Nothing was sent.");
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
            MaxPartialImages = provider == ProviderKind.OpenAI ? 3 : 0,
        };
    }
}
