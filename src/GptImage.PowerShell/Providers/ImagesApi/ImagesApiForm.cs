using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using GptImage.Http;
using GptImage.Images;
using GptImage.Requests;

namespace GptImage.Providers.ImagesApi;

/// <summary>What an Images API submit sends: the JSON of a generation, or the multipart form of an edit (files streamed from disk).</summary>
internal static class ImagesApiForm
{
    public static StringContent Generation(ImageRequest request, ProviderKind kind) => ApiTransport.JsonContent(JsonFields.Body(json =>
    {
        foreach (var (name, value) in Fields(request, kind))
        {
            json.WritePropertyName(name);
            JsonFields.Write(json, value);
        }
    }, request.AdditionalParameters));

    /// <summary>The multipart edit: every file streamed from disk, never read whole into memory.</summary>
    public static MultipartFormDataContent Edit(ImageRequest request, ProviderKind kind)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in Fields(request, kind)) { form.Add(new StringContent(JsonFields.FormText(value)), name); }
        foreach (var extra in request.AdditionalParameters) { form.Add(new StringContent(JsonFields.FormText(extra.Value)), extra.Key); }
        // OpenAI (and Azure OpenAI) name several images image[]; AIML API repeats "image".
        var field = kind.SpeaksOpenAI() && request.Images.Count > 1 ? "image[]" : "image";
        foreach (var image in request.Images) { form.Add(FilePart(image.LocalPath!, request), field, Path.GetFileName(image.LocalPath!)); }
        if (request.Mask?.LocalPath is { } mask) { form.Add(FilePart(mask, request), "mask", Path.GetFileName(mask)); }
        return form;
    }

    /// <summary>A local input as a multipart part, typed by the format the request's checks already read from it.</summary>
    private static StreamContent FilePart(string path, ImageRequest request)
    {
        var content = ApiTransport.FileContent(path);
        content.Headers.ContentType = new MediaTypeHeaderValue(ImageFiles.ContentType(request.LocalFormat(path)));
        return content;
    }

    private static IEnumerable<(string Name, object Value)> Fields(ImageRequest request, ProviderKind kind)
    {
        // Azure OpenAI's route names the deployment, which decides the model: no model field (as Microsoft's reference lists).
        if (kind != ProviderKind.AzureOpenAI) { yield return ("model", request.Spec.ApiModelId); }
        yield return ("prompt", request.Prompt);
        if (request.Count is { } n) { yield return ("n", n); }
        if (request.Size is { } size) { yield return ("size", size); }
        if (request.Quality is { } quality) { yield return ("quality", quality); }
        if (request.Background is { } background) { yield return ("background", background); }
        // The edit endpoint does not list moderation; ImageRequest refuses it there, and it is never sent to it.
        if (request.Moderation is { } moderation && request.Spec.Operation == ImageOperation.Generate) { yield return ("moderation", moderation); }
        if (request.OutputFormat is { } format) { yield return ("output_format", ImageFiles.Name(format)); }
        if (request.OutputCompression is { } compression) { yield return ("output_compression", compression); }
        if (request.InputFidelity is { } fidelity) { yield return ("input_fidelity", fidelity); }
        // -PartialImages: OpenAI's stream with partial_images (openai 6.49.0 resources/images.d.ts); answered as events (ImagesApiStream).
        if (request.PartialImages is { } partials)
        {
            yield return ("stream", true);
            yield return ("partial_images", partials);
        }
        // OpenAI always answers base64 (and refuses response_format); AIML API answers URLs unless asked (ImageRequest decides).
        if (kind == ProviderKind.AimlApi) { yield return ("response_format", request.Base64Output ? "b64_json" : "url"); }
    }
}
