using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>
/// OpenAI's streamed Images API answers and GPT Image 2's values, as the official <c>openai</c> npm package 6.49.0 types them
/// (resources/images.d.ts): <c>stream: true</c> with <c>partial_images</c> 0–3 answers server-sent events, each
/// <c>event: {type}</c> then <c>data: {json}</c> and a blank line: <c>image_generation.partial_image</c> /
/// <c>image_edit.partial_image</c> (b64_json, partial_image_index from 0, created_at, size, quality, background,
/// output_format), then <c>image_generation.completed</c> / <c>image_edit.completed</c> (the same, the final image and
/// usage). A prompt marked <c>[emulator:stream-cut=N]</c> has its answer end half-way through the event after N partials.
/// </summary>
internal static class ImagesStreaming
{
    /// <summary>The JSON type each streaming field takes in a generation body.</summary>
    public static System.Text.Json.JsonValueKind? FieldKind(string key) => key switch
    {
        "stream" => System.Text.Json.JsonValueKind.True,
        "partial_images" => System.Text.Json.JsonValueKind.Number,
        _ => null,
    };

    /// <summary>The 400 message for a stream or partial_images value the reference does not allow, or null.</summary>
    public static string? Problem(Dictionary<string, string?> f)
    {
        if (f.GetValueOrDefault("stream") is { } stream && stream is not ("true" or "false" or "True" or "False"))
        {
            return "stream: must be a boolean.";
        }
        if (f.GetValueOrDefault("partial_images") is { } partials
            && (!int.TryParse(partials, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0 || n > 3))
        {
            return "partial_images: must be an integer from 0 to 3.";
        }
        return null;
    }

    /// <summary>
    /// GPT Image 2's sizes and backgrounds: WIDTHxHEIGHT with both sides multiples of 16, a ratio from 1:3 to 3:1, at most
    /// 3840x2160 (a longest side of 3840 and that many pixels), or auto; no transparent background. Null when acceptable.
    /// </summary>
    public static string? GptImage2Problem(Dictionary<string, string?> f)
    {
        if (f.GetValueOrDefault("background") == "transparent") { return "background: gpt-image-2 does not support transparent backgrounds; use opaque or auto."; }
        if (f.GetValueOrDefault("size") is not { } size || size == "auto") { return null; }
        var parts = size.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || w <= 0 || h <= 0
            || w % 16 != 0 || h % 16 != 0 || Math.Max(w, h) > 3 * Math.Min(w, h) || Math.Max(w, h) > 3840 || (long)w * h > 3840L * 2160)
        {
            return $"Invalid value '{size}' for size: gpt-image-2 takes auto or WIDTHxHEIGHT, both multiples of 16, a ratio up to 3:1, at most 3840x2160.";
        }
        return null;
    }

    /// <summary>Whether the request asked to stream.</summary>
    public static bool Asked(Dictionary<string, string?> f) => string.Equals(f.GetValueOrDefault("stream"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Streams the partial images and the completed event of <paramref name="task"/>'s first output.</summary>
    /// <remarks>
    /// The headers go at once, then the drawing time <paramref name="latencyMs"/> is spread before the events, as the
    /// service sends each preview when it has it: a client waits between events, not before the answer.
    /// </remarks>
    public static async Task AnswerAsync(HttpContext ctx, Dictionary<string, string?> f, EmulatedTask task, bool edit, JsonObject usage, int latencyMs)
    {
        var partials = int.Parse(f.GetValueOrDefault("partial_images") ?? "0", CultureInfo.InvariantCulture);
        var cut = TaskBehaviour.Of(ctx.Request, f.GetValueOrDefault("prompt")).StreamCut;
        var prefix = edit ? "image_edit." : "image_generation.";
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.StartAsync(ctx.RequestAborted).ConfigureAwait(false);
        var gap = TimeSpan.FromMilliseconds(Math.Max(0, latencyMs) / (partials + 1.0));
        for (var i = 0; i < partials; i++)
        {
            await Task.Delay(gap, ctx.RequestAborted).ConfigureAwait(false);
            var partial = Event(f, task, prefix + "partial_image", Pictures.Output(task, i + 1));
            partial["partial_image_index"] = i;
            if (cut == i)
            {
                await CutAsync(ctx, prefix + "partial_image", partial).ConfigureAwait(false);
                return;
            }
            await WriteAsync(ctx, prefix + "partial_image", partial).ConfigureAwait(false);
        }
        await Task.Delay(gap, ctx.RequestAborted).ConfigureAwait(false);
        var completed = Event(f, task, prefix + "completed", Pictures.Output(task, 0));
        completed["usage"] = usage;
        if (cut is { } n && n >= partials)
        {
            await CutAsync(ctx, prefix + "completed", completed).ConfigureAwait(false);
            return;
        }
        await WriteAsync(ctx, prefix + "completed", completed).ConfigureAwait(false);
    }

    private static JsonObject Event(Dictionary<string, string?> f, EmulatedTask task, string type, byte[] image) => new()
    {
        ["type"] = type,
        ["b64_json"] = Convert.ToBase64String(image),
        ["created_at"] = task.CreatedAt.ToUnixTimeSeconds(),
        ["size"] = f.GetValueOrDefault("size") ?? "auto",
        ["quality"] = f.GetValueOrDefault("quality") ?? "auto",
        ["background"] = f.GetValueOrDefault("background") ?? "auto",
        ["output_format"] = task.Format,
    };

    private static async Task WriteAsync(HttpContext ctx, string type, JsonObject data)
    {
        await ctx.Response.WriteAsync($"event: {type}\ndata: {data.ToJsonString()}\n\n", Encoding.UTF8, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends half of an event, then ends the answer there, as a proxy that gives up half-way does. Not a reset: a reset
    /// can discard what the client has not read yet, so the events before it would arrive or not by chance.
    /// </summary>
    private static async Task CutAsync(HttpContext ctx, string type, JsonObject data)
    {
        var text = $"event: {type}\ndata: {data.ToJsonString()}\n\n";
        await ctx.Response.WriteAsync(text[..(text.Length / 2)], Encoding.UTF8, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.CompleteAsync().ConfigureAwait(false);
    }
}
