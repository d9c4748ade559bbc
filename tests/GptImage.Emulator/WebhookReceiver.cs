namespace GptImage.Emulator;

/// <summary>A loopback endpoint that records the first webhook posted to it (for tests and demos).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where to point <c>?webhook=</c>.</summary>
    public string Url { get; }

    /// <summary>Completes with the first delivery.</summary>
    public TaskCompletionSource<WebhookDelivery> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
            var headers = ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver!.Received.TrySetResult(new WebhookDelivery(body, headers, ctx.Request.QueryString.Value ?? string.Empty));
            return Results.Ok();
        });
        await app.StartAsync().ConfigureAwait(false);
        receiver = new WebhookReceiver(app, app.Urls.First().TrimEnd('/') + "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
