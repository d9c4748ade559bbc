using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace GptImage.Emulator;

/// <summary>A running emulator: start it in-process on a free loopback port, read its stats, dispose it.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private EmulatorServer(WebApplication app, EmulatorState state, Uri baseUri)
    {
        _app = app;
        _state = state;
        BaseUri = baseUri;
    }

    /// <summary>The emulator's root, e.g. http://127.0.0.1:5199/ (WaveSpeed under /api/v3, OpenAI-style under /v1).</summary>
    public Uri BaseUri { get; }

    public EmulatorOptions Options => _state.Options;

    /// <summary>The last submit as it arrived: <c>{ path, query, body }</c> (JSON) or <c>{ path, fields, files }</c> (multipart).</summary>
    public System.Text.Json.Nodes.JsonObject? LastSubmit => _state.LastSubmit;

    /// <summary>What has been served so far.</summary>
    public EmulatorStats Stats => _state.Stats.Snapshot();

    /// <summary>The form or JSON fields of every answered Images API request (generations and edits), in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> ImagesRequests => _state.ImagesRequests.ToArray();

    /// <summary>Starts on the URLs given by <c>--urls</c>, or on 127.0.0.1 with a port the OS picks.</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, string[]? args = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        args ??= [];
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = long.MaxValue);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var state = new EmulatorState(options);
        // The hostile prefix is taken off before routing, so its requests reach the ordinary endpoints.
        HostileServer.Use(app, state);
        app.UseRouting();
        WaveSpeedEndpoints.Map(app, state);
        ImagesEndpoints.Map(app, state);
        AzureEndpoints.Map(app, state);
        app.MapGet("/_emulator/stats", () => Results.Json(state.Stats.Snapshot()));
        app.MapGet("/_emulator/last-submit", () => state.LastSubmit is { } last ? Results.Text(last.ToJsonString(), "application/json") : Results.NotFound());
        app.MapGet("/_emulator/images-requests", () => Results.Json(state.ImagesRequests.ToArray()));
        app.MapGet("/", () => Results.Text("GptImage emulator: WaveSpeed v3 under /api/v3, OpenAI-style Images API under /v1, stats at /_emulator/stats\n"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new EmulatorServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Blocks until the host is asked to stop (Ctrl+C).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Computes a webhook signature as the service does, for tests that verify deliveries.</summary>
    public static string SignWebhook(string secret, string id, string timestamp, string body) => WaveSpeedEndpoints.Sign(secret, id, timestamp, body);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
