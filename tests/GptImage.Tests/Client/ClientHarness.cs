using GptImage.Emulator;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Polling;
using GptImage.Providers.WaveSpeed;
using GptImage.Providers;

namespace GptImage.Tests.Client;

/// <summary>An emulator and a WaveSpeed client pointed at it, tuned for fast tests; a temp folder that is removed.</summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public static readonly PollSchedule FastPolling = new()
    {
        FirstDelay = TimeSpan.FromMilliseconds(20),
        MinInterval = TimeSpan.FromMilliseconds(20),
        MaxInterval = TimeSpan.FromMilliseconds(200),
    };

    private ClientHarness(EmulatorServer server, ConnectionOptions options, List<string> log)
    {
        Server = server;
        Connection = new GptImageConnection(options);
        Client = new WaveSpeedClient(Connection, options);
        Options = options;
        Log = log;
        Folder = Directory.CreateTempSubdirectory("gptimage-tests-").FullName;
    }

    public EmulatorServer Server { get; }
    public GptImageConnection Connection { get; }
    public WaveSpeedClient Client { get; }
    public ConnectionOptions Options { get; }
    public List<string> Log { get; }
    public string Folder { get; }

    public static async Task<ClientHarness> StartAsync(EmulatorOptions? emulator = null, Action<ConnectionOptions>? configure = null)
    {
        var server = await EmulatorServer.StartAsync(emulator ?? new EmulatorOptions { InferenceLatencyMs = 100 });
        var log = new List<string>();
        var options = OptionsFor(server, log);
        configure?.Invoke(options);
        return new ClientHarness(server, options, log);
    }

    public static ConnectionOptions OptionsFor(EmulatorServer server, List<string>? log = null) => new()
    {
        BaseUri = server.BaseUri,
        Credential = new ApiCredential(server.Options.ApiKey),
        RetryInterval = TimeSpan.FromMilliseconds(10),
        MaximumRetryInterval = TimeSpan.FromMilliseconds(100),
        PollSchedule = FastPolling,
        Log = log is null ? null : line => { lock (log) { log.Add(line); } },
    };

    /// <summary>Points a client at the emulator's hostile modes (see the emulator's HostileServer), e.g. "html" or "redirect=file".</summary>
    public static Action<ConnectionOptions> Hostile(string modes, Action<ConnectionOptions>? also = null) => o =>
    {
        o.BaseUri = new Uri(o.BaseUri, "_hostile/" + Uri.EscapeDataString(modes) + "/");
        also?.Invoke(o);
    };

    public SaveOptions Save(string? template = null, bool overwrite = false) => new() { Directory = Folder, FileNameTemplate = template, Overwrite = overwrite };

    public string WriteImage(string name, int width = 64, int height = 48, int variant = 1)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, TestImages.Png(width, height, variant));
        return path;
    }

    /// <summary>Files left in the folder with the temporary-download naming.</summary>
    public string[] TempFiles() => Directory.GetFiles(Folder, ".gptimage-*", SearchOption.AllDirectories);

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Server.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A WaveSpeed client on a connection of its own (<paramref name="handler"/> replaces the network stack), both disposed together.</summary>
internal sealed class OwnedClient(ConnectionOptions options, HttpMessageHandler? handler = null) : IDisposable
{
    public GptImageConnection Connection { get; } = new(options, handler);

    public WaveSpeedClient Client => _client ??= new WaveSpeedClient(Connection, options);

    private WaveSpeedClient? _client;

    public void Dispose() => Connection.Dispose();
}
