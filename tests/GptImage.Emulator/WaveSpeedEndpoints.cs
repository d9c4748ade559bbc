using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>The WaveSpeed v3 API: submit, result, uploads, balance, models, webhooks.</summary>
internal static class WaveSpeedEndpoints
{
    private static readonly HttpClient WebhookClient = new() { Timeout = TimeSpan.FromSeconds(10) };
    public const long MaxUploadBytes = 20L * 1024 * 1024;

    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapPost("/api/v3/media/uploads", ctx => CreateUploadAsync(ctx, state));
        app.MapPost("/api/v3/media/upload/binary", ctx => BinaryUploadAsync(ctx, state));
        app.MapPut("/_uploads/{token}", (HttpContext ctx, string token) => PutUploadAsync(ctx, state, token));
        app.MapGet("/media/{token}/{name}", (HttpContext ctx, string token) => GetMediaAsync(ctx, state, token));
        app.MapGet("/api/v3/predictions/{id}/result", (HttpContext ctx, string id) => ResultAsync(ctx, state, id));
        app.MapGet("/api/v3/predictions/{id}", (HttpContext ctx, string id) => ResultAsync(ctx, state, id));
        app.MapGet("/api/v3/predictions", ctx => ListAsync(ctx, state));
        app.MapPost("/api/v3/predictions", ctx => ListAsync(ctx, state));
        app.MapGet("/api/v3/balance", ctx => BalanceAsync(ctx, state));
        app.MapGet("/api/v3/models", ctx => ModelsAsync(ctx, state));
        app.MapGet("/api/v3/webhook/secret", ctx => SecretAsync(ctx, state));
        app.MapPost("/api/v3/{**model}", (HttpContext ctx, string model) => SubmitAsync(ctx, state, model));
        app.MapGet("/outputs/{id}/{index}", (HttpContext ctx, string id, string index) => OutputAsync(ctx, state, id, index));
    }

    private static async Task SubmitAsync(HttpContext ctx, EmulatorState state, string modelId)
    {
        Interlocked.Increment(ref state.Stats.SubmitRequests);
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        var fault = state.Faults.Decide(ctx, EndpointKind.Submit);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        if (await ReadSubmitAsync(ctx, state, modelId).ConfigureAwait(false) is not { } submit) { return; }
        var (task, refusal) = Admit(state, submit);
        if (task is null)
        {
            await Reject(ctx, state, refusal!.Value.Status, refusal.Value.Message).ConfigureAwait(false);
            return;
        }
        if (task.Webhook is not null)
        {
            _ = DeliverWebhookAsync(state, task, submit.BaseUrl);
        }
        if (submit.Sync && await AnswerSyncTimeoutAsync(ctx, state, task, submit.BaseUrl, fault).ConfigureAwait(false)) { return; }
        await Respond.EnvelopeAsync(ctx, Data(task, submit.BaseUrl), fault).ConfigureAwait(false);
    }

    /// <summary>A submit that parsed: its model, body and the behaviour its header or prompt asks of the task.</summary>
    private sealed record Submit(string ModelId, WaveSpeedModel Model, JsonObject Body, TaskBehaviour Behaviour, string Webhook, string BaseUrl)
    {
        public bool Base64 => Body["enable_base64_output"]?.GetValue<bool>() == true;
        public bool Sync => Body["enable_sync_mode"]?.GetValue<bool>() == true;
    }

    /// <summary>Reads and checks a submit as the service does; null when it is refused (the answer is then written).</summary>
    private static async Task<Submit?> ReadSubmitAsync(HttpContext ctx, EmulatorState state, string modelId)
    {
        if (!WaveSpeedModel.All.TryGetValue(modelId, out var model))
        {
            await Reject(ctx, state, 404, $"model not found: {modelId}").ConfigureAwait(false);
            return null;
        }
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            await Reject(ctx, state, 400, "request body must be a JSON object").ConfigureAwait(false);
            return null;
        }
        state.LastSubmit = new JsonObject
        {
            ["path"] = ctx.Request.Path.Value,
            ["query"] = new JsonObject(ctx.Request.Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(q.Value.ToString())))),
            ["body"] = body.DeepClone(),
        };
        // Behaviour comes from the X-Emulator-Task header, or from a "[emulator:...]" marker in the prompt
        // (for clients, such as the cmdlets, that cannot add headers).
        var behaviour = TaskBehaviour.Of(ctx.Request, WaveSpeedModel.Str(body, "prompt"));
        var submit = new Submit(modelId, model, body, behaviour, ctx.Request.Query["webhook"].ToString(), Respond.BaseUrl(ctx));
        return await CheckSubmitAsync(ctx, state, submit).ConfigureAwait(false) ? submit : null;
    }

    /// <summary>The checks the pages describe beyond the body's fields: base64 with a webhook, the webhook's scheme, the inputs' formats.</summary>
    private static async Task<bool> CheckSubmitAsync(HttpContext ctx, EmulatorState state, Submit submit)
    {
        if (submit.Model.Validate(submit.Body, submit.Behaviour.ExtraFields) is { } problem)
        {
            await Reject(ctx, state, 400, problem).ConfigureAwait(false);
            return false;
        }
        if (submit.Base64 && submit.Webhook.Length > 0)
        {
            Interlocked.Increment(ref state.Stats.SubmitsRejected);
            await Respond.JsonAsync(ctx, 400, new JsonObject { ["error"] = "webhook callback does not support base64 output, please disable enable_base64_output" }).ConfigureAwait(false);
            return false;
        }
        // The pages ask for a public https endpoint; this emulator also calls plain http on loopback (test receivers).
        if (submit.Webhook.Length > 0 && !(Uri.TryCreate(submit.Webhook, UriKind.Absolute, out var hook)
            && (hook.Scheme == Uri.UriSchemeHttps || (hook.Scheme == Uri.UriSchemeHttp && hook.IsLoopback))))
        {
            await Reject(ctx, state, 400, "webhook: must be an https URL").ConfigureAwait(false);
            return false;
        }
        // gpt-image-1-mini edit takes JPG and PNG inputs (its page); a WebP uploaded here is refused.
        if (submit.ModelId == "openai/gpt-image-1-mini/edit" && WaveSpeedModel.ImageUrls(submit.Body).Any(url => LocalMediaFormat(state, submit.BaseUrl, url) == "webp"))
        {
            await Reject(ctx, state, 400, "images: only JPG and PNG images are supported").ConfigureAwait(false);
            return false;
        }
        return true;
    }

    /// <summary>Admits the task (concurrency cap, balance) and creates it, under one lock; or says why not.</summary>
    private static (EmulatedTask? Task, (int Status, string Message)? Refusal) Admit(EmulatorState state, Submit submit)
    {
        var (width, height) = submit.Model.OutputSize(submit.Body);
        int? failCode = submit.Behaviour.FailCode;
        string? failMessage = failCode is { } code ? FailureText(code) : null;
        // Inputs on this emulator that were never uploaded fail the task the way unreachable media does.
        if (failCode is null && WaveSpeedModel.ImageUrls(submit.Body).Any(url => IsMissingLocalMedia(state, submit.BaseUrl, url)))
        {
            failCode = 1402;
            failMessage = FailureText(1402);
        }
        lock (state.SubmitLock)
        {
            var inFlight = state.TasksInFlight();
            if (state.Options.MaxConcurrentTasks > 0 && inFlight >= state.Options.MaxConcurrentTasks)
            {
                Interlocked.Increment(ref state.Stats.RateLimited);
                return (null, (429, $"Too many concurrent tasks: your account allows {state.Options.MaxConcurrentTasks}"));
            }
            if (!state.TryCharge(submit.Model.Price(submit.Body)))
            {
                return (null, (403, "Insufficient balance: please top up your account"));
            }
            var task = new EmulatedTask
            {
                Id = Guid.NewGuid().ToString("N"),
                Model = submit.ModelId,
                Input = submit.Body,
                LatencyMs = submit.Behaviour.LatencyMs ?? state.Options.InferenceLatencyMs,
                Width = width,
                Height = height,
                Base64 = submit.Base64,
                Behaviour = submit.Behaviour,
                FailCode = failCode,
                FailMessage = failMessage,
                Webhook = submit.Webhook.Length > 0 ? submit.Webhook : null,
                Content = state.Options.ImageContent,
                Transparent = submit.Body["background"] is JsonValue background && background.TryGetValue<string>(out var clear) && clear == "transparent",
            };
            state.Tasks[task.Id] = task;
            Interlocked.Increment(ref state.Stats.Submits);
            state.NoteInFlight(inFlight + 1);
            return (task, null);
        }
    }

    /// <summary>
    /// Holds a sync-mode answer until the task ends or the sync window closes; when it closes first, answers as the
    /// service does (a gateway 504, or processing with code 5004) and returns true.
    /// </summary>
    private static async Task<bool> AnswerSyncTimeoutAsync(HttpContext ctx, EmulatorState state, EmulatedTask task, string baseUrl, Fault fault)
    {
        // Decided on the task's own clock: it ends within the sync window or it does not, however late
        // this request wakes up on a busy machine.
        var timeout = TimeSpan.FromMilliseconds(state.Options.SyncTimeoutMs);
        var latency = TimeSpan.FromMilliseconds(task.LatencyMs);
        var endsInTime = latency <= timeout;
        var answerAt = endsInTime ? latency : timeout;
        while (task.Elapsed < answerAt)
        {
            await Task.Delay(answerAt - task.Elapsed + TimeSpan.FromMilliseconds(1), ctx.RequestAborted).ConfigureAwait(false);
        }
        if (endsInTime) { return false; }
        if ((task.Behaviour.SyncTimeout ?? state.Options.SyncTimeoutAnswer) == SyncTimeoutAnswer.GatewayTimeout)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 504, "Gateway Timeout").ConfigureAwait(false);
            return true;
        }
        var data = Data(task, baseUrl);
        data["status"] = "processing";
        data["outputs"] = new JsonArray();
        data["has_nsfw_contents"] = new JsonArray();
        data["timings"] = new JsonObject { ["inference"] = 0 };
        data["code"] = 5004;
        data["error"] = "Sync mode timed out after 90 seconds, please query the result later via urls.get";
        await Respond.EnvelopeAsync(ctx, data, fault).ConfigureAwait(false);
        return true;
    }

    private static Task Reject(HttpContext ctx, EmulatorState state, int status, string message)
    {
        Interlocked.Increment(ref state.Stats.SubmitsRejected);
        return Respond.WaveSpeedErrorAsync(ctx, status, message);
    }

    private static string? LocalMediaFormat(EmulatorState state, string baseUrl, string url)
    {
        if (!url.StartsWith(baseUrl + "/media/", StringComparison.Ordinal)) { return null; }
        var token = url[(baseUrl.Length + 7)..].Split('/')[0];
        return state.Media.TryGetValue(token, out var item) && item.Data is { } data ? Png.DetectFormat(data) : null;
    }

    private static bool IsMissingLocalMedia(EmulatorState state, string baseUrl, string url)
    {
        if (!url.StartsWith(baseUrl + "/media/", StringComparison.Ordinal)) { return false; }
        var token = url[(baseUrl.Length + 7)..].Split('/')[0];
        return !state.Media.TryGetValue(token, out var item) || item.Data is null;
    }

    internal static string FailureText(int code) => code switch
    {
        1200 => "Content moderation: the prompt or image was flagged as inappropriate",
        1400 => "Missing parameter",
        1401 => "Invalid parameter",
        1402 => "Media access failed: an input image could not be downloaded",
        1403 or 1405 => "Task failed",
        5000 => "Internal error",
        5003 => "Service unavailable",
        5004 => "Task timed out",
        _ => "Task failed",
    };

    /// <summary>The prediction's <c>data</c> object as the service renders it now.</summary>
    internal static JsonObject Data(EmulatedTask task, string baseUrl)
    {
        var phase = task.Phase;
        var outputs = new JsonArray();
        var nsfw = new JsonArray();
        if (phase == TaskPhase.Completed)
        {
            for (var i = 0; i < task.OutputCount; i++)
            {
                outputs.Add(task.Base64
                    ? Convert.ToBase64String(Pictures.Output(task, i))
                    : $"{baseUrl}/outputs/{task.Id}/{i}.png");
                nsfw.Add(task.Behaviour.Nsfw);
            }
        }
        var data = new JsonObject
        {
            ["id"] = task.Id,
            ["model"] = task.Model,
            ["outputs"] = outputs,
            ["urls"] = new JsonObject { ["get"] = $"{baseUrl}/api/v3/predictions/{task.Id}/result" },
            ["has_nsfw_contents"] = nsfw,
            ["status"] = phase.ToString().ToLowerInvariant(),
            ["created_at"] = task.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["error"] = phase == TaskPhase.Failed ? task.FailMessage : "",
            ["timings"] = new JsonObject { ["inference"] = task.IsFinal ? task.LatencyMs : 0 },
        };
        if (phase == TaskPhase.Failed) { data["code"] = task.FailCode; }
        return data;
    }

    private static async Task ResultAsync(HttpContext ctx, EmulatorState state, string id)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        Interlocked.Increment(ref state.Stats.ResultQueries);
        var fault = state.Faults.Decide(ctx, EndpointKind.Result);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        if (!state.Tasks.TryGetValue(id, out var task))
        {
            await Respond.WaveSpeedErrorAsync(ctx, 404, $"prediction not found: {id}").ConfigureAwait(false);
            return;
        }
        await Respond.EnvelopeAsync(ctx, Data(task, Respond.BaseUrl(ctx)), fault).ConfigureAwait(false);
    }

    /// <summary>
    /// Prediction history as the Predictions API documents it: <c>POST /api/v3/predictions</c> with a JSON body
    /// <c>{ page, page_size (1-100), model?, status?, created_after?, created_before? }</c>, newest first, answered
    /// <c>{ page, total, items }</c>. A GET without a body lists the first page of 100.
    /// </summary>
    private static async Task ListAsync(HttpContext ctx, EmulatorState state)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        var query = new JsonObject { ["page"] = 1, ["page_size"] = 100 };
        if (HttpMethods.IsPost(ctx.Request.Method))
        {
            try
            {
                query = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false) as JsonObject
                    ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                await Respond.WaveSpeedErrorAsync(ctx, 400, "request body must be a JSON object").ConfigureAwait(false);
                return;
            }
        }
        if (ListProblem(query) is { } problem)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 400, problem).ConfigureAwait(false);
            return;
        }
        var page = query["page"]!.GetValue<int>();
        var size = query["page_size"]!.GetValue<int>();
        var model = WaveSpeedModel.Str(query, "model");
        var status = WaveSpeedModel.Str(query, "status");
        var after = WaveSpeedModel.Str(query, "created_after") is { } a ? DateTimeOffset.Parse(a, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        var before = WaveSpeedModel.Str(query, "created_before") is { } b ? DateTimeOffset.Parse(b, CultureInfo.InvariantCulture) : DateTimeOffset.MaxValue;
        var baseUrl = Respond.BaseUrl(ctx);
        var matching = state.Tasks.Values
            .Where(t => !t.Id.StartsWith("img_", StringComparison.Ordinal)) // Images API answers are not WaveSpeed tasks
            .Where(t => model is null || t.Model == model)
            .Where(t => status is null || (t.Phase == TaskPhase.Created ? "processing" : t.Phase.ToString().ToLowerInvariant()) == status)
            .Where(t => t.CreatedAt >= after && t.CreatedAt < before)
            .OrderByDescending(t => t.CreatedAt)
            .ToList();
        var items = new JsonArray(matching.Skip((page - 1) * size).Take(size).Select(t => (JsonNode)Data(t, baseUrl)).ToArray());
        await Respond.EnvelopeAsync(ctx, new JsonObject { ["page"] = page, ["total"] = matching.Count, ["items"] = items }).ConfigureAwait(false);
    }

    private static string? ListProblem(JsonObject query)
    {
        string[] known = ["page", "page_size", "model", "status", "created_after", "created_before"];
        if (query.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown) { return $"{unknown}: unknown parameter"; }
        if (query["page"]?.GetValueKind() != JsonValueKind.Number || query["page"]!.GetValue<int>() < 1) { return "page: required, an integer >= 1"; }
        if (query["page_size"]?.GetValueKind() != JsonValueKind.Number || query["page_size"]!.GetValue<int>() is < 1 or > 100) { return "page_size: required, an integer from 1 to 100"; }
        if (query["status"] is not null && WaveSpeedModel.Str(query, "status") is not ("completed" or "failed" or "processing")) { return "status: must be completed, failed or processing"; }
        foreach (var name in new[] { "created_after", "created_before" })
        {
            if (query[name] is not null && !DateTimeOffset.TryParse(WaveSpeedModel.Str(query, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return $"{name}: must be an ISO 8601 date-time";
            }
        }
        return null;
    }

    private static async Task BalanceAsync(HttpContext ctx, EmulatorState state)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        await Respond.EnvelopeAsync(ctx, new JsonObject { ["balance"] = state.Balance }).ConfigureAwait(false);
    }

    private static async Task ModelsAsync(HttpContext ctx, EmulatorState state)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        var models = new JsonArray(WaveSpeedModel.All.Keys.Select(id => (JsonNode)new JsonObject { ["model_id"] = id, ["name"] = id, ["type"] = "image" }).ToArray());
        await Respond.EnvelopeAsync(ctx, models).ConfigureAwait(false);
    }

    private static async Task SecretAsync(HttpContext ctx, EmulatorState state)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        await Respond.EnvelopeAsync(ctx, new JsonObject { ["secret"] = state.Options.WebhookSecret }).ConfigureAwait(false);
    }

    /// <summary>Signs a webhook body the way WaveSpeed does: hex HMAC-SHA256 of "id.timestamp.body", key = secret minus whsec_.</summary>
    internal static string Sign(string secret, string id, string timestamp, string body)
    {
        var key = Encoding.UTF8.GetBytes(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v3," + Convert.ToHexStringLower(mac);
    }

    private static async Task DeliverWebhookAsync(EmulatorState state, EmulatedTask task, string baseUrl)
    {
        // Timers may fire a little early: wait until the task really is final.
        while (!task.IsFinal) { await Task.Delay(task.Remaining + TimeSpan.FromMilliseconds(1)).ConfigureAwait(false); }
        // The payload is the flat data object, with the input as submitted (the webhook pages' example).
        var payload = Data(task, baseUrl);
        payload["input"] = task.Input.DeepClone();
        var body = payload.ToJsonString();
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, task.Webhook)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", Sign(state.Options.WebhookSecret, id, timestamp, body));
        try
        {
            using var response = await WebhookClient.SendAsync(request).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) { Interlocked.Increment(ref state.Stats.WebhooksDelivered); }
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) { }
    }

    private static async Task CreateUploadAsync(HttpContext ctx, EmulatorState state)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        if (state.Options.DisableTwoStepUpload)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 404, "Not Found").ConfigureAwait(false);
            return;
        }
        var fault = state.Faults.Decide(ctx, EndpointKind.Upload);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        JsonObject? body = null;
        try { body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false) as JsonObject; }
        catch (JsonException) { }
        var fileName = body is null ? null : WaveSpeedModel.Str(body, "filename");
        var contentType = body is null ? null : WaveSpeedModel.Str(body, "content_type");
        long size = body?["size"] is JsonValue sv && sv.TryGetValue<long>(out var s) ? s : -1;
        if (string.IsNullOrWhiteSpace(fileName) || string.IsNullOrWhiteSpace(contentType) || size < 0)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 400, "filename, size and content_type are required").ConfigureAwait(false);
            return;
        }
        if (size > MaxUploadBytes)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 413, "File too large: images up to 20 MB are accepted").ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref state.Stats.Uploads);
        var item = new MediaItem { Token = Guid.NewGuid().ToString("N"), FileName = SafeName(fileName), ContentType = contentType, DeclaredSize = size };
        state.Media[item.Token] = item;
        var baseUrl = Respond.BaseUrl(ctx);
        await Respond.EnvelopeAsync(ctx, new JsonObject
        {
            ["type"] = "image",
            ["download_url"] = $"{baseUrl}/media/{item.Token}/{item.FileName}",
            ["filename"] = item.FileName,
            ["size"] = size,
            ["upload"] = new JsonObject
            {
                ["method"] = "PUT",
                ["url"] = $"{baseUrl}/_uploads/{item.Token}?signature=emulated",
                ["headers"] = new JsonObject { ["Content-Type"] = contentType },
            },
            ["expires_at"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture),
        }, fault).ConfigureAwait(false);
    }

    private static async Task PutUploadAsync(HttpContext ctx, EmulatorState state, string token)
    {
        var fault = state.Faults.Decide(ctx, EndpointKind.Upload);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        if (!state.Media.TryGetValue(token, out var item))
        {
            await Respond.WaveSpeedErrorAsync(ctx, 404, "upload not found").ConfigureAwait(false);
            return;
        }
        // A presigned URL carries its own credentials: an Authorization header is refused, as storage services do.
        if (ctx.Request.Headers.Authorization.Count > 0)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 400, "Only one auth mechanism allowed; the URL is already signed").ConfigureAwait(false);
            return;
        }
        if (!string.Equals(ctx.Request.ContentType, item.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            await Respond.WaveSpeedErrorAsync(ctx, 403, "SignatureDoesNotMatch: Content-Type differs from the signed headers").ConfigureAwait(false);
            return;
        }
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
        if (buffer.Length != item.DeclaredSize)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 400, $"Size {buffer.Length} differs from the declared {item.DeclaredSize}").ConfigureAwait(false);
            return;
        }
        item.Data = buffer.ToArray();
        Interlocked.Increment(ref state.Stats.UploadPuts);
        ctx.Response.StatusCode = 200;
    }

    private static async Task BinaryUploadAsync(HttpContext ctx, EmulatorState state)
    {
        if (!await Respond.AuthorizeAsync(ctx, state, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        var fault = state.Faults.Decide(ctx, EndpointKind.Upload);
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        if (!ctx.Request.HasFormContentType)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 400, "multipart/form-data with a 'file' field is required").ConfigureAwait(false);
            return;
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 400, "file: field required").ConfigureAwait(false);
            return;
        }
        if (file.Length > MaxUploadBytes)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 413, "File too large: images up to 20 MB are accepted").ConfigureAwait(false);
            return;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
        var item = new MediaItem
        {
            Token = Guid.NewGuid().ToString("N"),
            FileName = SafeName(file.FileName),
            ContentType = file.ContentType ?? "application/octet-stream",
            DeclaredSize = buffer.Length,
            Data = buffer.ToArray(),
        };
        state.Media[item.Token] = item;
        Interlocked.Increment(ref state.Stats.BinaryUploads);
        await Respond.EnvelopeAsync(ctx, new JsonObject
        {
            ["type"] = "image",
            ["download_url"] = $"{Respond.BaseUrl(ctx)}/media/{item.Token}/{item.FileName}",
            ["filename"] = item.FileName,
            ["size"] = buffer.Length,
        }, fault).ConfigureAwait(false);
    }

    private static string SafeName(string name)
    {
        var clean = new string(Path.GetFileName(name).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return clean.Length == 0 ? "file" : clean;
    }

    private static async Task GetMediaAsync(HttpContext ctx, EmulatorState state, string token)
    {
        if (!state.Media.TryGetValue(token, out var item) || item.Data is null)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 404, "media not found").ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref state.Stats.MediaDownloads);
        ctx.Response.ContentType = item.ContentType;
        ctx.Response.ContentLength = item.Data.Length;
        await ctx.Response.Body.WriteAsync(item.Data, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Serves an output image, with download faults (truncate, trickle, expired, reset) when asked.</summary>
    private static async Task OutputAsync(HttpContext ctx, EmulatorState state, string id, string index)
    {
        Interlocked.Increment(ref state.Stats.DownloadRequests);
        var number = int.TryParse(Path.GetFileNameWithoutExtension(index), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        if (!state.Tasks.TryGetValue(id, out var task) || task.Phase != TaskPhase.Completed || number < 0 || number >= task.OutputCount)
        {
            await Respond.WaveSpeedErrorAsync(ctx, 404, "output not found").ConfigureAwait(false);
            return;
        }
        var fault = state.Faults.Decide(ctx, EndpointKind.Download);
        if (fault == Fault.None && task.Behaviour.OutputFault is { } taskFault) { fault = taskFault; }
        if (await Respond.ApplyFaultAsync(ctx, state, fault, ErrorStyle.WaveSpeed).ConfigureAwait(false)) { return; }
        if (fault.Expired)
        {
            Interlocked.Increment(ref state.Stats.FaultsInjected);
            await Respond.WaveSpeedErrorAsync(ctx, 404, "output expired: outputs are deleted after 7 days").ConfigureAwait(false);
            return;
        }
        var png = Pictures.Output(task, number);
        ctx.Response.ContentType = "image/" + task.Format;
        ctx.Response.ContentLength = png.Length;
        if (fault.Truncate)
        {
            Interlocked.Increment(ref state.Stats.FaultsInjected);
            await ctx.Response.Body.WriteAsync(png.AsMemory(0, png.Length / 2), ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            ctx.Abort();
            return;
        }
        if (fault.Trickle)
        {
            Interlocked.Increment(ref state.Stats.FaultsInjected);
            const int chunk = 16 * 1024;
            for (var offset = 0; offset < png.Length; offset += chunk)
            {
                // Counted before the last bytes go out: once the client has them all, the count is visible.
                if (offset + chunk >= png.Length) { Interlocked.Increment(ref state.Stats.Downloads); }
                await ctx.Response.Body.WriteAsync(png.AsMemory(offset, Math.Min(chunk, png.Length - offset)), ctx.RequestAborted).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                await Task.Delay(state.Options.TrickleDelayMs, ctx.RequestAborted).ConfigureAwait(false);
            }
        }
        else
        {
            Interlocked.Increment(ref state.Stats.Downloads);
            await ctx.Response.Body.WriteAsync(png, ctx.RequestAborted).ConfigureAwait(false);
        }
    }
}
