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
        var size = Choose("Size", NormalizeSize(template.Size), spec.Sizes, spec, m => m.Sizes.Count > 0);
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
        var base64Output = ResponseInBase64(spec.Provider, template.Base64Output, output.ResponseFormat);
        CheckWebhook(template.Webhook, template.Base64Output);
        var additional = AdditionalFields.Check(output.AdditionalParameters,
            multipart: spec.Provider != ProviderKind.WaveSpeed && spec.Operation == ImageOperation.Edit);
        return new ImageRequest(spec, prompt)
        {
            Size = size,
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
        if (provider.SpeaksOpenAI() && format == "url")
        {
            throw GptImageException.InvalidParameter("ResponseFormat",
                $"{provider} answers gpt-image models with b64_json only and does not take response_format; url is taken by AimlApi.");
        }
        return provider.SpeaksOpenAI() || format == "b64_json";
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
