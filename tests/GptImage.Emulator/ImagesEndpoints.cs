using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>
/// The OpenAI-style Images API (shared/api/aimlapi.md). Model <c>openai/gpt-image-1</c> gets AIML API's
/// behaviour (url answers by default, usage under meta.usage, n = 1); model <c>gpt-image-1</c> gets OpenAI's
/// (always b64_json, response_format refused, usage at the top, auto size/quality, n up to 10).
/// </summary>
internal static class ImagesEndpoints
{
    public const long MaxImageBytes = 50L * 1024 * 1024;
    public const long MaxMaskBytes = 4L * 1024 * 1024;
    private static readonly string[] AimlModels = ["openai/gpt-image-1", "openai/gpt-image-1-mini"];
    private static readonly string[] OpenAiModels = ["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2"];

    private static readonly string[] GenerationFields =
        ["model", "prompt", "background", "moderation", "n", "output_compression", "output_format", "quality", "size", "response_format", "stream", "partial_images"];
    private static readonly string[] EditFields =
        ["model", "prompt", "size", "quality", "output_format", "background", "output_compression", "response_format", "n", "input_fidelity", "stream", "partial_images"];

    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapPost("/v1/images/generations", ctx => GenerateAsync(ctx, state));
        app.MapPost("/v1/images/edits", ctx => EditAsync(ctx, state));
    }

    private sealed record Problem(string Message, string? Param);

    /// <summary>A generation; <paramref name="azureModel"/>: on an Azure OpenAI deployment (signed already) serving that model.</summary>
    internal static async Task GenerateAsync(HttpContext ctx, EmulatorState state, string? azureModel = null)
    {
        if (azureModel is null && !await Respond.AuthorizeAsync(ctx, state, ErrorStyle.OpenAi).ConfigureAwait(false)) { return; }
        var fault = state.Faults.Decide(ctx, EndpointKind.Images);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.OpenAi).ConfigureAwait(false)) { return; }
        JsonObject? body = null;
        try { body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false) as JsonObject; }
        catch (JsonException) { }
        if (body is null)
        {
            await Respond.OpenAiErrorAsync(ctx, 400, "We could not parse the JSON body of your request.").ConfigureAwait(false);
            return;
        }
        // The generation body is JSON: n and output_compression are numbers, every other documented field a string.
        if (body.FirstOrDefault(p => GenerationFields.Contains(p.Key)
            && !(ImagesStreaming.FieldKind(p.Key) == JsonValueKind.True && p.Value?.GetValueKind() == JsonValueKind.False)
            && p.Value?.GetValueKind() != (ImagesStreaming.FieldKind(p.Key) ?? (p.Key is "n" or "output_compression" ? JsonValueKind.Number : JsonValueKind.String))) is { Key: { } badType })
        {
            await Respond.OpenAiErrorAsync(ctx, 400, $"Invalid type for '{badType}': expected {(ImagesStreaming.FieldKind(badType) == JsonValueKind.True ? "a boolean" : badType is "n" or "output_compression" or "partial_images" ? "an integer" : "a string")}.", param: badType).ConfigureAwait(false);
            return;
        }
        var fields = body.ToDictionary(p => p.Key, p => p.Value is JsonValue v ? v.ToString() : p.Value?.ToJsonString(), StringComparer.Ordinal);
        state.LastSubmit = new JsonObject { ["path"] = ctx.Request.Path.Value, ["body"] = body.DeepClone() };
        if (azureModel is not null) { fields["model"] = azureModel; }
        if (Validate(fields, edit: false, azure: azureModel is not null) is { } problem)
        {
            await Respond.OpenAiErrorAsync(ctx, 400, problem.Message, param: problem.Param).ConfigureAwait(false);
            return;
        }
        if (await RefusedAsync(ctx, fields).ConfigureAwait(false)) { return; }
        Interlocked.Increment(ref state.Stats.ImageGenerations);
        await AnswerAsync(ctx, state, fields, fault).ConfigureAwait(false);
    }

    /// <summary>An edit; <paramref name="azureModel"/>: on an Azure OpenAI deployment (signed already) serving that model.</summary>
    internal static async Task EditAsync(HttpContext ctx, EmulatorState state, string? azureModel = null)
    {
        if (azureModel is null && !await Respond.AuthorizeAsync(ctx, state, ErrorStyle.OpenAi).ConfigureAwait(false)) { return; }
        var fault = state.Faults.Decide(ctx, EndpointKind.Images);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.OpenAi).ConfigureAwait(false)) { return; }
        if (!ctx.Request.HasFormContentType)
        {
            await Respond.OpenAiErrorAsync(ctx, 400, "Edits take multipart/form-data.").ConfigureAwait(false);
            return;
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var fields = form.ToDictionary(p => p.Key, p => (string?)p.Value.ToString(), StringComparer.Ordinal);
        state.LastSubmit = new JsonObject
        {
            ["path"] = ctx.Request.Path.Value,
            ["fields"] = new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value)))),
            ["files"] = new JsonArray(form.Files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["filename"] = f.FileName, ["content_type"] = f.ContentType }).ToArray()),
        };
        if (azureModel is not null) { fields["model"] = azureModel; }
        if (Validate(fields, edit: true, azure: azureModel is not null) is { } problem)
        {
            await Respond.OpenAiErrorAsync(ctx, 400, problem.Message, param: problem.Param).ConfigureAwait(false);
            return;
        }
        var images = form.Files.Where(f => f.Name is "image" or "image[]").ToList();
        var mask = form.Files.GetFile("mask");
        if (await CheckImagesAsync(images, mask, ctx.RequestAborted).ConfigureAwait(false) is { } imageProblem)
        {
            await Respond.OpenAiErrorAsync(ctx, 400, imageProblem.Message, param: imageProblem.Param).ConfigureAwait(false);
            return;
        }
        if (await RefusedAsync(ctx, fields).ConfigureAwait(false)) { return; }
        Interlocked.Increment(ref state.Stats.ImageEdits);
        await AnswerAsync(ctx, state, fields, fault).ConfigureAwait(false);
    }

    /// <summary>A prompt marked "[emulator:fail=…]" is refused by the safety system, as OpenAI does (400, moderation_blocked).</summary>
    private static async Task<bool> RefusedAsync(HttpContext ctx, Dictionary<string, string?> fields)
    {
        var behaviour = TaskBehaviour.Of(ctx.Request, fields.GetValueOrDefault("prompt"));
        if (behaviour.FailCode is null) { return false; }
        await Respond.OpenAiErrorAsync(ctx, 400, "Your request was rejected as a result of our safety system.", "image_generation_user_error", null, "moderation_blocked").ConfigureAwait(false);
        return true;
    }

    private static async Task<Problem?> CheckImagesAsync(List<IFormFile> images, IFormFile? mask, CancellationToken ct)
    {
        if (images.Count == 0) { return new("image: at least one image is required.", "image"); }
        if (images.Count > 16) { return new("image: at most 16 images are allowed.", "image"); }
        (int W, int H)? first = null;
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Length > MaxImageBytes) { return new($"image: each image must be under 50 MB ({images[i].FileName}).", "image"); }
            var head = await HeadAsync(images[i], ct).ConfigureAwait(false);
            if (Png.DetectFormat(head) is null) { return new($"Invalid image file '{images[i].FileName}': supported formats are png, webp and jpg.", "image"); }
            if (i == 0) { first = await DimensionsAsync(images[0], ct).ConfigureAwait(false); }
        }
        if (mask is not null)
        {
            if (mask.Length >= MaxMaskBytes) { return new("mask: must be a PNG under 4 MB.", "mask"); }
            var head = await HeadAsync(mask, ct).ConfigureAwait(false);
            if (!Png.TryReadSize(head, out var mw, out var mh)) { return new("mask: must be a PNG file.", "mask"); }
            if (first is { } f && (f.W != mw || f.H != mh))
            {
                return new($"mask: dimensions {mw}x{mh} differ from the image's {f.W}x{f.H}.", "mask");
            }
        }
        return null;
    }

    /// <summary>The first image's dimensions, whatever its format (the mask must match a JPEG or WebP too), or null.</summary>
    private static async Task<(int W, int H)?> DimensionsAsync(IFormFile file, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        try
        {
            var info = await SixLabors.ImageSharp.Image.IdentifyAsync(stream, ct).ConfigureAwait(false);
            return (info.Width, info.Height);
        }
        catch (SixLabors.ImageSharp.ImageFormatException)
        {
            return null;
        }
    }

    private static async Task<byte[]> HeadAsync(IFormFile file, CancellationToken ct)
    {
        var head = new byte[32];
        await using var stream = file.OpenReadStream();
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        return head[..read];
    }

    /// <summary>
    /// The page's rules; <paramref name="azure"/>: Azure OpenAI's (Microsoft's image generation how-to): standard sizes,
    /// low/medium/high, PNG or JPEG, base64 only, no moderation or input_fidelity.
    /// </summary>
    private static Problem? Validate(Dictionary<string, string?> f, bool edit, bool azure = false)
    {
        var model = f.GetValueOrDefault("model");
        var aiml = AimlModels.Contains(model);
        if (!aiml && !OpenAiModels.Contains(model))
        {
            return new($"model: '{model}' is not a supported image model.", "model");
        }
        var prompt = f.GetValueOrDefault("prompt");
        if (string.IsNullOrWhiteSpace(prompt)) { return new("prompt: is required.", "prompt"); }
        // Only the fields the page lists for this endpoint (edits take no moderation); "[emulator:extra-fields]" lets others through.
        var known = edit ? EditFields : GenerationFields;
        if (!TaskBehaviour.Parse(TaskBehaviour.PromptMarker(prompt)).ExtraFields && f.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return new($"Unknown parameter: '{unknown}'.", unknown);
        }
        if (prompt.Length > 32000) { return new("prompt: must be at most 32000 characters.", "prompt"); }
        if (azure && f.Keys.FirstOrDefault(k => k is "response_format" or "moderation" or "input_fidelity" or "stream" or "partial_images") is { } notOnAzure)
        {
            return new($"Unknown parameter: '{notOnAzure}'.", notOnAzure);
        }
        if (model == "gpt-image-2" && ImagesStreaming.GptImage2Problem(f) is { } gpt2) { return new(gpt2, gpt2.StartsWith("background", StringComparison.Ordinal) ? "background" : "size"); }
        if (ImagesStreaming.Problem(f) is { } streaming) { return new(streaming, streaming[..streaming.IndexOf(':', StringComparison.Ordinal)]); }
        string[] sizes = aiml || azure ? ["1024x1024", "1024x1536", "1536x1024"] : model == "gpt-image-2" ? [f.GetValueOrDefault("size") ?? "auto"] : ["1024x1024", "1024x1536", "1536x1024", "auto"];
        string[] qualities = aiml || azure ? ["low", "medium", "high"] : ["low", "medium", "high", "auto"];
        if (OneOf(f, "size", sizes) is { } p1) { return p1; }
        if (OneOf(f, "quality", qualities) is { } p2) { return p2; }
        if (OneOf(f, "background", ["transparent", "opaque", "auto"]) is { } p3) { return p3; }
        if (OneOf(f, "moderation", ["low", "auto"]) is { } p4) { return p4; }
        if (OneOf(f, "output_format", azure ? ["png", "jpeg"] : ["png", "jpeg", "webp"]) is { } p5) { return p5; }
        var format = f.GetValueOrDefault("output_format") ?? "png";
        if (f.GetValueOrDefault("background") == "transparent" && format == "jpeg")
        {
            return new("background: transparent requires output_format png or webp.", "background");
        }
        if (f.GetValueOrDefault("output_compression") is { } compression)
        {
            if (!int.TryParse(compression, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) || c < 0 || c > 100)
            {
                return new("output_compression: must be an integer from 0 to 100.", "output_compression");
            }
            if (format == "png") { return new("output_compression: is only supported for jpeg and webp.", "output_compression"); }
        }
        if (f.GetValueOrDefault("n") is { } n)
        {
            var max = aiml ? 1 : 10;
            if (!int.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < 1 || count > max)
            {
                return new($"n: must be from 1 to {max}.", "n");
            }
        }
        if (aiml && (f.ContainsKey("stream") || f.ContainsKey("partial_images")))
        {
            // AIML API's pages document no streaming.
            return new($"Unknown parameter: '{(f.ContainsKey("stream") ? "stream" : "partial_images")}'.", f.ContainsKey("stream") ? "stream" : "partial_images");
        }
        if (f.ContainsKey("response_format"))
        {
            if (!aiml) { return new("Unknown parameter: 'response_format'.", "response_format"); }
            if (OneOf(f, "response_format", ["url", "b64_json"]) is { } p6) { return p6; }
        }
        if (f.ContainsKey("input_fidelity"))
        {
            if (aiml || !edit) { return new("Unknown parameter: 'input_fidelity'.", "input_fidelity"); }
            if (OneOf(f, "input_fidelity", ["high", "low"]) is { } p7) { return p7; }
        }
        return null;
    }

    private static Problem? OneOf(Dictionary<string, string?> f, string name, string[] allowed) =>
        f.TryGetValue(name, out var value) && !allowed.Contains(value)
            ? new($"Invalid value '{value}' for {name}: supported values are {string.Join(", ", allowed.Select(a => "'" + a + "'"))}.", name)
            : null;

    private static async Task AnswerAsync(HttpContext ctx, EmulatorState state, Dictionary<string, string?> f, Fault fault)
    {
        state.ImagesRequests.Enqueue(f);
        // A stream answers its headers at once and spends the time between its events (ImagesStreaming); an answer at the end.
        var streamed = ImagesStreaming.Asked(f) && !AimlModels.Contains(f["model"]);
        if (state.Options.InferenceLatencyMs > 0 && !streamed)
        {
            await Task.Delay(state.Options.InferenceLatencyMs, ctx.RequestAborted).ConfigureAwait(false);
        }
        var aiml = AimlModels.Contains(f["model"]);
        var count = int.Parse(f.GetValueOrDefault("n") ?? "1", CultureInfo.InvariantCulture);
        var size = f.GetValueOrDefault("size") is { } s && s != "auto" ? s : "1024x1024";
        var wh = size.Split('x');
        var b64 = !aiml || f.GetValueOrDefault("response_format") == "b64_json";
        var task = new EmulatedTask
        {
            Id = "img_" + Guid.NewGuid().ToString("N"),
            Model = f["model"]!,
            Input = [],
            LatencyMs = 0,
            Width = int.Parse(wh[0], CultureInfo.InvariantCulture),
            Height = int.Parse(wh[1], CultureInfo.InvariantCulture),
            OutputCount = count,
            Behaviour = TaskBehaviour.Parse(ctx.Request.Headers[TaskBehaviour.HeaderName]),
            Content = state.Options.ImageContent,
            Format = f.GetValueOrDefault("output_format") ?? "png",
            Compression = int.TryParse(f.GetValueOrDefault("output_compression"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var compression) ? compression : 100,
            Transparent = f.GetValueOrDefault("background") == "transparent",
        };
        state.Tasks[task.Id] = task;
        var baseUrl = Respond.BaseUrl(ctx);
        var data = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            data.Add(b64
                ? new JsonObject { ["b64_json"] = Convert.ToBase64String(Pictures.Output(task, i)) }
                : new JsonObject { ["url"] = $"{baseUrl}/outputs/{task.Id}/{i}.{task.Format}" });
        }
        var answer = new JsonObject { ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["data"] = data };
        var promptTokens = Math.Max(1, (f["prompt"]?.Length ?? 0) / 4);
        if (aiml)
        {
            answer["meta"] = new JsonObject { ["usage"] = new JsonObject { ["credits_used"] = 84000 * count, ["usd_spent"] = 0.042 * count } };
        }
        else
        {
            answer["usage"] = new JsonObject
            {
                ["input_tokens"] = promptTokens,
                ["output_tokens"] = 1056 * count,
                ["total_tokens"] = promptTokens + (1056 * count),
                ["input_tokens_details"] = new JsonObject { ["text_tokens"] = promptTokens, ["image_tokens"] = 0 },
            };
        }
        if (ImagesStreaming.Asked(f) && !aiml)
        {
            var latency = TaskBehaviour.Of(ctx.Request, f.GetValueOrDefault("prompt")).LatencyMs ?? state.Options.InferenceLatencyMs;
            await ImagesStreaming.AnswerAsync(ctx, f, task, ctx.Request.Path.Value?.EndsWith("edits", StringComparison.Ordinal) == true, (JsonObject)answer["usage"]!.DeepClone(),
                latency).ConfigureAwait(false);
            return;
        }
        await Respond.JsonAsync(ctx, 200, answer, fault).ConfigureAwait(false);
    }
}
