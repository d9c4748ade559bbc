using System.Collections.Generic;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>
/// GPT Image 2 (OpenAI, released 2026-04-21) on each provider whose page was found, every value with its source.
/// AIML API: no page for gpt-image-2 was found, so it is not in the catalogue there (an id is still sent as given).
/// </summary>
internal static class GptImage2Specs
{
    /// <summary>
    /// WaveSpeed's aspect ratios for gpt-image-2. Source: wavespeed.ai/docs/docs-api/openai/openai-gpt-image-2-text-to-image
    /// and …/openai-gpt-image-2-edit ("aspect_ratio: 1:1, 3:2, 2:3, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9"). The pages name no
    /// default for text to image (an older version said 1:1) and, for edits, detect it from the input image: none is sent unless asked.
    /// </summary>
    internal static readonly string[] AspectRatios = { "1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9" };

    /// <summary>WaveSpeed's resolutions for gpt-image-2 (same pages: "resolution: 1k (default), 2k, or 4k").</summary>
    internal static readonly string[] Resolutions = { "1k", "2k", "4k" };

    /// <summary>
    /// The sizes completion offers on OpenAI; any other WxH is checked by <see cref="FlexibleSize"/>. Source: the official
    /// <c>openai</c> npm package 6.49.0, resources/images.d.ts (ImageGenerateParamsBase.size): the standard sizes, auto, and
    /// arbitrary WIDTHxHEIGHT for gpt-image-2 with the examples 1536x864, 2560x1440 (above it "experimental") and 3840x2160 (the maximum).
    /// </summary>
    internal static readonly string[] OpenAiSizes = { "auto", "1024x1024", "1536x1024", "1024x1536", "1536x864", "2560x1440", "3840x2160" };

    /// <summary>
    /// OpenAI's token rates for gpt-image-2 in USD per million: text input $5, image input $8, image output $30. No first-party
    /// price page was found; these are the rates third-party summaries of OpenAI's pricing quote (e.g. Vercel AI Gateway's model
    /// page: "$5/1M input tokens, $30/1M output tokens"), so every price made from them is labelled an estimate.
    /// </summary>
    internal static readonly (decimal, decimal, decimal) OpenAiTokenRates = (5m, 8m, 30m);

    /// <summary>
    /// WaveSpeed's published price: "From $0.060/run" (WaveSpeed's GPT Image 2 API page, wavespeed.ai/gpt-image-2-api); no
    /// table by quality and resolution was found, so it is the estimate of every run, said to be a starting price.
    /// </summary>
    internal const decimal WaveSpeedFromPrice = 0.06m;

    private static readonly string[] Levels = { "low", "medium", "high" };

    /// <summary>WaveSpeed's two routes: openai/gpt-image-2/text-to-image and openai/gpt-image-2/edit.</summary>
    internal static IEnumerable<ModelSpec> WaveSpeed()
    {
        // prompt, aspect_ratio, resolution, quality (low, medium (default), high); no size, background, mask or output format is listed.
        yield return new ModelSpec("gpt-image-2", ImageOperation.Generate, "openai/gpt-image-2/text-to-image")
        {
            AspectRatios = AspectRatios, Resolutions = Resolutions, Qualities = Levels,
            PriceFunction = (_, _) => WaveSpeedFromPrice, PriceNote = "WaveSpeed publishes 'from $0.060/run': higher quality and resolution may cost more",
        };
        // images (required, "one or more"; no maximum is published: 16 is OpenAI's own limit for gpt-image-2 edits), prompt, the same options.
        yield return new ModelSpec("gpt-image-2", ImageOperation.Edit, "openai/gpt-image-2/edit")
        {
            AspectRatios = AspectRatios, Resolutions = Resolutions, Qualities = Levels,
            Images = ImageParameter.Many, MaxImages = 16,
            PriceFunction = (_, _) => WaveSpeedFromPrice, PriceNote = "WaveSpeed publishes 'from $0.060/run': higher quality and resolution may cost more",
        };
    }

    /// <summary>
    /// OpenAI's Images API (openai 6.49.0 resources/images.d.ts): flexible sizes; quality low, medium, high, auto; background
    /// auto or opaque ("gpt-image-2 … do not support transparent backgrounds"); input_fidelity on edits ("gpt-image-1 and
    /// gpt-image-1.5 and later models"); n 1–10; up to 16 edit images under 50 MB, a mask under 4 MB; stream with
    /// partial_images 0–3. The default size is not stated: none is sent unless asked (the prediction says auto).
    /// </summary>
    internal static ModelSpec OpenAi(ImageOperation operation, ModelSpec shape)
    {
        shape.Sizes = OpenAiSizes;
        shape.FlexibleSizes = true;
        shape.DefaultSize = "auto";
        shape.Backgrounds = new[] { "auto", "opaque" };
        shape.SupportsInputFidelity = operation == ImageOperation.Edit;
        shape.TokenRates = OpenAiTokenRates;
        shape.PriceNote = "OpenAI's token rates as third-party summaries quote them";
        return shape;
    }
}
