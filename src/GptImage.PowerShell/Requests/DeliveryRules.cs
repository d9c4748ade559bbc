using System;
using System.Linq;
using GptImage.Http;

namespace GptImage.Requests;

/// <summary>
/// The rules of how outputs come back, checked before anything is sent: inline base64 or URLs, a webhook, and streamed
/// partial images (-PartialImages).
/// </summary>
internal static class DeliveryRules
{
    /// <summary>A webhook is absolute https (http only to this machine), carries no credentials, and is never paired with base64 output.</summary>
    internal static void CheckWebhook(Uri? webhook, bool base64Output)
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
    internal static bool ResponseInBase64(ProviderKind provider, bool base64Output, string? responseFormat)
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

    /// <summary>
    /// -PartialImages 1-3: taken where the provider documents streaming (OpenAI: stream with partial_images 0-3, openai 6.49.0
    /// resources/images.d.ts); one image per request (the stream's events carry no image index, so previews of several
    /// could not be told apart); and only when saving, since the previews are written beside the final image.
    /// </summary>
    internal static int? ChoosePartialImages(ModelSpec spec, ImageTemplate template, int? count)
    {
        if (template.PartialImages is not { } partials) { return null; }
        if (spec.MaxPartialImages == 0)
        {
            var takers = ModelCatalog.All.Where(m => m.MaxPartialImages > 0).Select(m => m.Provider).Distinct();
            throw GptImageException.InvalidParameter("PartialImages",
                $"{spec.Provider} documents no streamed partial images; -PartialImages is taken on {string.Join(", ", takers)}.");
        }
        if (partials < 1 || partials > spec.MaxPartialImages)
        {
            throw GptImageException.InvalidParameter("PartialImages", $"PartialImages must be from 1 to {spec.MaxPartialImages}; {partials} given.");
        }
        if (count is > 1)
        {
            throw GptImageException.InvalidParameter("PartialImages",
                "-PartialImages streams one image: the stream's events carry no image index, so previews of several images could not be told apart. Use -Count 1.");
        }
        if (template.PartialImagesTo is null)
        {
            throw GptImageException.InvalidParameter("PartialImages",
                "-PartialImages writes each preview beside the final image: add -OutputDirectory or -OutFile. Nothing was sent.");
        }
        return partials;
    }
}
