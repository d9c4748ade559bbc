using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>
/// A service that misbehaves on purpose. Requests under <c>/_hostile/{modes}/</c> reach the ordinary endpoints
/// (whose URLs, outputs included, keep the prefix), changed by the modes, separated by ',':
/// <list type="bullet">
/// <item><c>html</c>: every request is answered 200 with an HTML page.</item>
/// <item><c>error-body=endless|{bytes}</c>: every request is answered 500 with a body that never ends, or of that many bytes.</item>
/// <item><c>echo-key=raw|cut</c>: every request is answered 400 echoing its secret (the bearer key or token, Azure's api-key, a managed-identity header), plainly or straddling the 16 KB mark.</item>
/// <item><c>echo-key=escaped</c>: JSON answers carry the key with every character JSON-escaped (data.echo).</item>
/// <item><c>trickle={kind}</c>, <c>stall={kind}</c>: answers of that kind (submit, result, outputs) send a byte every
/// 100 ms for ever, or their headers and then nothing.</item>
/// <item><c>outputs=file|path</c>: outputs are <c>file:///</c> URLs or bare absolute paths of a local file.</item>
/// <item><c>id={id}</c>: predictions have that id (a dot segment, say).</item>
/// <item><c>error=control</c>: predictions fail with a message full of terminal escapes.</item>
/// <item><c>text=control</c>: every text of a prediction (answers and history items) carries terminal escapes, a bidi
/// override or zero-width characters: the model, the status, and the echoed prompt, size and quality.</item>
/// <item><c>redirect=file|ftp|loop|host</c>: downloads redirect to a local file, to ftp, to themselves, or to the
/// same output on another host name (localhost).</item>
/// <item><c>moved</c>: every API request (not downloads) is answered 301 to another path.</item>
/// <item><c>output=cut|jpeg</c>: downloads are cut half way without a declared length (the answer ends cleanly),
/// or are a JPEG.</item>
/// <item><c>output-count={n}</c>: a prediction with outputs (URLs or base64, WaveSpeed's or the Images API's) has
/// its first one n times.</item>
/// <item><c>base64=invalid</c>: base64 outputs are not base64.</item>
/// <item><c>slow-output={ms}</c>: each download is held that long before it is answered, and the most held at once is counted
/// (MaxDownloadsInFlight).</item>
/// <item><c>history=endless|repeat|bad-item</c>: history pages never end (100 new predictions a page and no total),
/// are all the same 100 predictions, or have a first item whose status is a number and a second whose id is a dot segment.</item>
/// </list>
/// </summary>
internal static class HostileServer
{
    public const string Prefix = "/_hostile";

    /// <summary>The local file outputs and redirects point at.</summary>
    public static string LocalFile => OperatingSystem.IsWindows() ? @"C:\Windows\win.ini" : "/etc/passwd";

    public const string ControlText = "\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\r\u0008task failed";

    /// <summary>A small, complete JPEG (SOI, a comment, EOI): enough for a signature and end check.</summary>
    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x06, (byte)'h', (byte)'o', (byte)'s', (byte)'t', 0xFF, 0xD9];

    public static void Use(WebApplication app, EmulatorState state) => app.Use(async (ctx, next) =>
    {
        Interlocked.Increment(ref state.Stats.Requests);
        if (!ctx.Request.Path.StartsWithSegments(Prefix, out var rest) || !rest.HasValue)
        {
            await next(ctx).ConfigureAwait(false);
            return;
        }
        var parts = rest.Value!.TrimStart('/').Split('/', 2);
        var modes = Parse(Uri.UnescapeDataString(parts[0]));
        ctx.Request.PathBase = ctx.Request.PathBase.Add(Prefix + "/" + parts[0]);
        ctx.Request.Path = "/" + (parts.Length > 1 ? parts[1] : "");
        Interlocked.Increment(ref state.Stats.HostileRequests);
        if (modes.TryGetValue("slow-output", out var hold) && Kind(ctx) == "outputs")
        {
            await HoldAsync(state, int.Parse(hold, CultureInfo.InvariantCulture), ctx.RequestAborted).ConfigureAwait(false);
        }
        if (await AnswerAsync(ctx, modes).ConfigureAwait(false)) { return; }
        if (!Rewrites.Any(modes.ContainsKey) && modes.GetValueOrDefault("echo-key") != "escaped")
        {
            await next(ctx).ConfigureAwait(false);
            return;
        }
        // Rewrites the JSON the ordinary endpoint answers.
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try { await next(ctx).ConfigureAwait(false); }
        finally { ctx.Response.Body = original; }
        var body = buffer.ToArray();
        if (ctx.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true
            && JsonNode.Parse(body) is JsonObject json && json["data"] is { } data)
        {
            var text = Rewrite(json, data, modes, ctx.Request.Headers.Authorization.ToString());
            body = Encoding.UTF8.GetBytes(text);
            ctx.Response.ContentLength = body.Length;
        }
        await original.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    });

    /// <summary>Holds a download for <paramref name="ms"/>, counting how many are held at once.</summary>
    private static async Task HoldAsync(EmulatorState state, int ms, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref state.Stats.DownloadsInFlight);
        long seen;
        while (now > (seen = Interlocked.Read(ref state.Stats.MaxDownloadsInFlight)))
        {
            Interlocked.CompareExchange(ref state.Stats.MaxDownloadsInFlight, now, seen);
        }
        try { await Task.Delay(ms, cancellationToken).ConfigureAwait(false); }
        finally { Interlocked.Decrement(ref state.Stats.DownloadsInFlight); }
    }

    /// <summary>The modes that rewrite the JSON an ordinary endpoint answers.</summary>
    private static readonly string[] Rewrites = ["outputs", "id", "error", "output-count", "base64", "history", "text"];

    private static Dictionary<string, string> Parse(string modes) =>
        modes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => m.Split('=', 2))
            .ToDictionary(p => p[0].ToLowerInvariant(), p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    private static string Kind(HttpContext ctx) => ctx.Request.Path.StartsWithSegments("/outputs") ? "outputs"
        : ctx.Request.Path.StartsWithSegments("/api/v3/predictions") ? "result"
        : HttpMethods.IsPost(ctx.Request.Method) ? "submit" : "other";

    /// <summary>Answers the request itself when a mode says so. True when it did.</summary>
    private static async Task<bool> AnswerAsync(HttpContext ctx, Dictionary<string, string> modes)
    {
        var kind = Kind(ctx);
        if (modes.ContainsKey("html"))
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>", ctx.RequestAborted).ConfigureAwait(false);
            return true;
        }
        if (modes.TryGetValue("error-body", out var size))
        {
            await WriteLongErrorAsync(ctx, size).ConfigureAwait(false);
            return true;
        }
        if (modes.TryGetValue("echo-key", out var echo) && echo is "raw" or "cut")
        {
            await EchoKeyAsync(ctx, cut: echo == "cut").ConfigureAwait(false);
            return true;
        }
        if (modes.GetValueOrDefault("trickle") == kind || modes.GetValueOrDefault("stall") == kind)
        {
            await TrickleAsync(ctx, kind, stall: modes.GetValueOrDefault("stall") == kind).ConfigureAwait(false);
            return true;
        }
        if (modes.ContainsKey("moved") && kind != "outputs")
        {
            ctx.Response.StatusCode = 301;
            ctx.Response.Headers.Location = $"{ctx.Request.Scheme}://{ctx.Request.Host}/moved{ctx.Request.Path}";
            return true;
        }
        return kind == "outputs" && await AnswerOutputAsync(ctx, modes).ConfigureAwait(false);
    }

    /// <summary>A 500 whose message runs on for <paramref name="size"/> bytes, or for ever ("endless").</summary>
    private static async Task WriteLongErrorAsync(HttpContext ctx, string size)
    {
        ctx.Response.StatusCode = 500;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync("{\"code\":500,\"message\":\"", ctx.RequestAborted).ConfigureAwait(false);
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        var left = size == "endless" ? long.MaxValue : long.Parse(size, CultureInfo.InvariantCulture);
        while (left > 0 && !ctx.RequestAborted.IsCancellationRequested)
        {
            var n = (int)Math.Min(chunk.Length, left);
            try { await ctx.Response.Body.WriteAsync(chunk.AsMemory(0, n), ctx.RequestAborted).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            left -= n;
        }
    }

    /// <summary>A 400 that echoes the key it was sent; <paramref name="cut"/> puts the key across the client's 16 KB cut.</summary>
    private static Task EchoKeyAsync(HttpContext ctx, bool cut)
    {
        // Whatever secret the request carries: Azure's api-key header, a managed-identity endpoint's header, or a bearer key or token.
        var key = ctx.Request.Headers["api-key"].ToString() is { Length: > 0 } apiKey ? apiKey
            : ctx.Request.Headers["X-IDENTITY-HEADER"].ToString() is { Length: > 0 } identity ? identity
            : ctx.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
        ctx.Response.StatusCode = 400;
        ctx.Response.ContentType = "application/json";
        const string start = "{\"code\":400,\"message\":\"invalid key ";
        var padding = cut ? new string('x', (16 * 1024) - start.Length - 5) : "";
        return ctx.Response.WriteAsync(start + padding + key + "\"}", ctx.RequestAborted);
    }

    /// <summary>Sends the body a byte every 100 ms (or, stalled, nothing after the headers) until the client gives up.</summary>
    private static async Task TrickleAsync(HttpContext ctx, string kind, bool stall)
    {
        ctx.Response.ContentType = kind == "outputs" ? "image/png" : "application/json";
        await ctx.Response.StartAsync(ctx.RequestAborted).ConfigureAwait(false);
        var body = kind == "outputs" ? Png.Create(64, 64, 1, ImageContent.Pattern) : "{\"code\":200,\"message\":\"success\",\"data\":{"u8.ToArray();
        try
        {
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            for (var i = 0; ; i++)
            {
                if (!stall && i < body.Length)
                {
                    await ctx.Response.Body.WriteAsync(body.AsMemory(i, 1), ctx.RequestAborted).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                }
                await Task.Delay(100, ctx.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up: what the mode is for.
        }
    }

    /// <summary>Output modes: a redirect (to a file, ftp, itself or another host), a JPEG, or a PNG cut in half.</summary>
    private static async Task<bool> AnswerOutputAsync(HttpContext ctx, Dictionary<string, string> modes)
    {
        if (modes.TryGetValue("redirect", out var to))
        {
            var self = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}{ctx.Request.Path}";
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = to switch
            {
                "file" => new Uri(LocalFile).AbsoluteUri,
                "ftp" => "ftp://127.0.0.1/output.png",
                "loop" => self,
                _ => $"{ctx.Request.Scheme}://localhost:{ctx.Request.Host.Port}{ctx.Request.Path}",
            };
            return true;
        }
        if (modes.GetValueOrDefault("output") == "jpeg")
        {
            ctx.Response.ContentType = "image/jpeg";
            await ctx.Response.Body.WriteAsync(Jpeg, ctx.RequestAborted).ConfigureAwait(false);
            return true;
        }
        if (modes.GetValueOrDefault("output") == "cut")
        {
            var png = Png.Create(64, 64, 1, ImageContent.Pattern);
            ctx.Response.ContentType = "image/png";
            await ctx.Response.Body.WriteAsync(png.AsMemory(0, png.Length / 2), ctx.RequestAborted).ConfigureAwait(false);
            return true;
        }
        return false;
    }

    /// <summary>Text a terminal or a reader would be fooled by: escapes, a right-to-left override, zero-width spaces.</summary>
    public const string DisguisedText = "\u202Egnp.exe\u200B" + ControlText;

    private static void Disguise(JsonObject prediction)
    {
        prediction["model"] = prediction["model"]?.GetValue<string>() + DisguisedText;
        prediction["status"] = prediction["status"]?.GetValue<string>() + "\u200B\u200D";
        if (prediction["input"] is not JsonObject input) { input = new JsonObject(); prediction["input"] = input; }
        input["prompt"] = input["prompt"]?.GetValue<string>() + DisguisedText;
        input["size"] = (input["size"]?.GetValue<string>() ?? "1024*1024") + "\u001b[2J";
        input["quality"] = (input["quality"]?.GetValue<string>() ?? "low") + "\u2066";
    }

    /// <summary>Rewrites WaveSpeed's data object, or the Images API's data array (its url items).</summary>
    private static string Rewrite(JsonObject json, JsonNode data, Dictionary<string, string> modes, string authorization)
    {
        var prediction = data as JsonObject;
        if (modes.TryGetValue("outputs", out var outputs))
        {
            var local = outputs == "file" ? new Uri(LocalFile).AbsoluteUri : LocalFile;
            var items = prediction?["outputs"] as JsonArray ?? [];
            for (var i = 0; i < items.Count; i++) { items[i] = local; }
            foreach (var item in (data as JsonArray ?? []).OfType<JsonObject>().Where(i => i.ContainsKey("url"))) { item["url"] = local; }
        }
        if (prediction is not null && modes.TryGetValue("id", out var id)) { prediction["id"] = id; }
        if (modes.TryGetValue("output-count", out var count)) { Repeat(prediction, data as JsonArray, int.Parse(count, CultureInfo.InvariantCulture)); }
        if (modes.GetValueOrDefault("base64") == "invalid") { Unbase64(prediction, data as JsonArray); }
        if (prediction is not null && modes.TryGetValue("history", out var history) && prediction["items"] is JsonArray page) { RewritePage(prediction, page, history); }
        if (prediction is not null && modes.ContainsKey("error") && prediction["status"]?.GetValue<string>() is "completed")
        {
            prediction["status"] = "failed";
            prediction["outputs"] = new JsonArray();
            prediction["code"] = 1403;
            prediction["error"] = ControlText;
        }
        if (modes.ContainsKey("text"))
        {
            // A history page's items, or the one prediction of an answer.
            IEnumerable<JsonObject> targets = prediction?["items"] is JsonArray items ? items.OfType<JsonObject>() : prediction is null ? [] : [prediction];
            foreach (var item in targets.ToList()) { Disguise(item); }
        }
        var text = json.ToJsonString();
        if (modes.GetValueOrDefault("echo-key") == "escaped")
        {
            // Every character of the key as a JSON \uXXXX escape: the same key once decoded.
            var key = authorization.Replace("Bearer ", "", StringComparison.Ordinal);
            var escaped = string.Concat(key.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));
            text = text[..^1] + ",\"echo\":\"" + escaped + "\"}";
        }
        return text;
    }

    /// <summary>The first output (with its NSFW flag), or the first Images API item, <paramref name="count"/> times.</summary>
    private static void Repeat(JsonObject? prediction, JsonArray? items, int count)
    {
        foreach (var (array, key) in new[] { (prediction?["outputs"] as JsonArray, "outputs"), (prediction?["has_nsfw_contents"] as JsonArray, "flags"), (items, "items") })
        {
            if (array is not { Count: > 0 }) { continue; }
            var first = array[0]!.ToJsonString();
            array.Clear();
            for (var i = 0; i < count; i++) { array.Add(JsonNode.Parse(first)); }
        }
    }

    /// <summary>Every base64 output (WaveSpeed's outputs when base64 was asked for, the Images API's b64_json) made invalid.</summary>
    private static void Unbase64(JsonObject? prediction, JsonArray? items)
    {
        if (prediction?["outputs"] is JsonArray outputs)
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                if (outputs[i]?.GetValue<string>() is { } text && !text.StartsWith("http", StringComparison.Ordinal)) { outputs[i] = "!!not*base64!!"; }
            }
        }
        foreach (var item in (items ?? []).OfType<JsonObject>().Where(i => i.ContainsKey("b64_json"))) { item["b64_json"] = "!!not*base64!!"; }
    }

    /// <summary>A history page that never ends, repeats itself, or holds two items that are not predictions.</summary>
    private static void RewritePage(JsonObject data, JsonArray items, string mode)
    {
        if (mode == "bad-item")
        {
            if (items.Count > 0 && items[0] is JsonObject first) { first["status"] = 42; }
            if (items.Count > 1 && items[1] is JsonObject second) { second["id"] = ".."; }
            return;
        }
        var page = data["page"]?.GetValue<int>() ?? 1;
        data.Remove("total");
        items.Clear();
        for (var i = 0; i < 100; i++)
        {
            var id = mode == "endless" ? $"page{page}-{i}" : $"same-{i}";
            items.Add(new JsonObject { ["id"] = id, ["model"] = "openai/gpt-image-1/text-to-image", ["status"] = "completed", ["outputs"] = new JsonArray() });
        }
    }
}
