using System;
using System.Collections.Generic;
using System.Linq;
using GptImage.Http;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>
/// The rules a request is checked by before anything is sent: each value against its model (a model the catalogue
/// does not know takes anything: the service checks), the options against their provider, the webhook, and the
/// local files. Each refusal names the parameter and what would be taken instead.
/// </summary>
internal static class RequestRules
{
    /// <summary>The input fidelities the models that take one accept.</summary>
    internal static readonly string[] Fidelities = { "high", "low" };

    /// <summary>Checks every value against the model, in the order the user is told about them, and makes the request.</summary>
    internal static ImageRequest Build(ModelSpec spec, string prompt, IReadOnlyList<ImageSource> images, ImageTemplate template)
    {
        var output = template.Output ?? new ImageOutputOptions();
        CheckPrompt(spec, prompt);
        var size = ChooseSize(spec, NormalizeSize(template.Size));
        var aspectRatio = Choose("AspectRatio", template.AspectRatio?.Trim(), spec.AspectRatios, spec, m => m.AspectRatios.Count > 0);
        var resolution = Choose("Resolution", template.Resolution?.Trim().ToLowerInvariant(), spec.Resolutions, spec, m => m.Resolutions.Count > 0);
        var quality = Choose("Quality", template.Quality?.Trim().ToLowerInvariant(), spec.Qualities, spec, m => m.Qualities.Count > 0);
        var background = Choose("Background", template.Background?.Trim().ToLowerInvariant(), spec.Backgrounds, spec, m => m.Backgrounds.Count > 0);
        var inputFidelity = Choose("InputFidelity", template.InputFidelity?.Trim().ToLowerInvariant(),
            spec.SupportsInputFidelity ? Fidelities : Array.Empty<string>(), spec, m => m.SupportsInputFidelity);
        var format = ChooseFormat(output.Format, spec);
        var moderation = Choose("Moderation", output.Moderation?.Trim().ToLowerInvariant(), spec.Moderations, spec, m => m.Moderations.Count > 0);
        var count = ChooseCount(spec, output.Count);
        var compression = ChooseCompression(spec, output.Compression, format);
        if (background == "transparent" && format == ImageFormat.Jpeg)
        {
            throw GptImageException.InvalidParameter("Background", "A transparent background needs OutputFormat png or webp; jpeg has no transparency.");
        }
        CheckInputs(spec, images, template.Mask);
        if (spec.Provider != ProviderKind.WaveSpeed && (template.SyncMode || template.Webhook is not null))
        {
            throw GptImageException.InvalidParameter(template.SyncMode ? "SyncMode" : "WebhookUri",
                $"{spec.Provider} answers synchronously: SyncMode and WebhookUri are WaveSpeed options.");
        }
        var base64Output = DeliveryRules.ResponseInBase64(spec.Provider, template.Base64Output, output.ResponseFormat);
        DeliveryRules.CheckWebhook(template.Webhook, template.Base64Output);
        var partialImages = DeliveryRules.ChoosePartialImages(spec, template, count);
        var additional = AdditionalFields.Check(output.AdditionalParameters,
            multipart: spec.Provider != ProviderKind.WaveSpeed && spec.Operation == ImageOperation.Edit);
        return new ImageRequest(spec, prompt)
        {
            Size = size,
            AspectRatio = aspectRatio,
            Resolution = resolution,
            Quality = quality,
            Background = background,
            InputFidelity = inputFidelity,
            OutputFormat = format,
            Moderation = moderation,
            Images = images,
            Mask = template.Mask,
            SyncMode = template.SyncMode,
            Webhook = template.Webhook,
            Count = count,
            OutputCompression = compression,
            Base64Output = base64Output,
            AdditionalParameters = additional,
            PartialImages = partialImages,
            PartialImagesTo = partialImages is null ? null : template.PartialImagesTo,
        };
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

    private static string? NormalizeSize(string? size) => size?.Trim().ToLowerInvariant().Replace('*', 'x');

    /// <summary>
    /// A size from the model's list, or for a model with flexible sizes any WxH <see cref="FlexibleSize"/> takes. A model that takes
    /// an aspect ratio and a resolution instead (gpt-image-2 on WaveSpeed) refuses -Size: the pixel sizes they give are not published, so it is not mapped.
    /// </summary>
    private static string? ChooseSize(ModelSpec spec, string? size)
    {
        if (size is not { Length: > 0 } || !spec.IsKnown || spec.Sizes.Contains(size)) { return size is { Length: > 0 } ? size : null; }
        if (spec.FlexibleSizes && FlexibleSize.Problem(size) is { } problem)
        {
            throw GptImageException.InvalidParameter("Size", $"'{size}' is not a valid Size for {spec.Name} on {spec.Provider}: it {problem}. " +
                $"It takes auto or WIDTHxHEIGHT with both sides multiples of 16, a ratio up to 3:1, a longest side up to {FlexibleSize.MaxEdge} and at most 3840x2160 pixels.");
        }
        if (spec.FlexibleSizes) { return size; }
        if (spec.Sizes.Count == 0 && spec.AspectRatios.Count > 0)
        {
            throw GptImageException.InvalidParameter("Size", $"{spec.Name} on {spec.Provider} takes -AspectRatio ({string.Join(", ", spec.AspectRatios)}) and " +
                $"-Resolution ({string.Join(", ", spec.Resolutions)}) instead of -Size; the pixel sizes they give are not published, so -Size is not mapped to them.");
        }
        return Choose("Size", size, spec.Sizes, spec, m => m.Sizes.Count > 0);
    }

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
    /// Checks every local input of <paramref name="request"/>: exists, is a file, is PNG/JPEG/WebP by its bytes and of
    /// a format the model takes, within the provider's size limit; a mask is a PNG of the first image's dimensions
    /// (read from the PNG, JPEG or WebP headers; every provider requires it), for the Images API under 4 MB.
    /// Returns the format of each, by path.
    /// </summary>
    internal static Dictionary<string, ImageFormat> LocalFormats(ImageRequest request)
    {
        var spec = request.Spec;
        var formats = new Dictionary<string, ImageFormat>(StringComparer.Ordinal);
        foreach (var image in request.Images.Where(i => i.LocalPath is not null))
        {
            formats[image.LocalPath!] = ImageFiles.CheckInput(image.LocalPath!, isMask: false, spec.MaxInputBytes, spec.InputFormats,
                $"{spec.Name} {spec.Operation.ToString().ToLowerInvariant()} on {spec.Provider}");
        }
        if (request.Mask?.LocalPath is not { } mask) { return formats; }
        formats[mask] = ImageFiles.CheckInput(mask, isMask: true, spec.MaxMaskBytes);
        if (request.SourcePath is { } first
            && ImageFiles.Dimensions(first) is { } imageSize
            && ImageFiles.Dimensions(mask) is { } maskSize && maskSize != imageSize)
        {
            throw new GptImageException(GptImageErrorKind.InvalidFile,
                $"The mask '{mask}' is {maskSize.Width}x{maskSize.Height}; it must match the first image's {imageSize.Width}x{imageSize.Height}.");
        }
        return formats;
    }
}
