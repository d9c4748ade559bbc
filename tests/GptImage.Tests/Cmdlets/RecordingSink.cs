using GptImage.Files;
using GptImage.Http;
using GptImage.Operations;
using GptImage.Providers;
using GptImage.Session;
using GptImage.Tests.Client;

namespace GptImage.Tests.Cmdlets;

/// <summary>Records what a cmdlet would write, and checks it is all written on the "pipeline thread" (the test's).</summary>
internal sealed class RecordingSink : ICmdletSink
{
    /// <summary>The thread playing PowerShell's pipeline thread (set by <see cref="CmdletHarness.Pipeline"/>).</summary>
    public int PipelineThread { get; set; } = -1;

    public List<object> Objects { get; } = new();
    public List<ErrorInfo> Errors { get; } = new();
    public List<string> Verbose { get; } = new();
    public List<string> Warnings { get; } = new();
    public List<string> Debug { get; } = new();
    public List<ProgressInfo> Progress { get; } = new();
    public List<(string Target, string Action)> ShouldProcessCalls { get; } = new();
    public bool Confirm { get; set; } = true;

    private readonly object _gate = new();

    /// <summary>Records one write on the pipeline thread and wakes whoever waits in <see cref="WaitUntil"/>.</summary>
    private void Record(Action add)
    {
        Assert.Equal(PipelineThread, Environment.CurrentManagedThreadId);
        lock (_gate)
        {
            add();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits, from another thread than the pipeline's, until what was written satisfies <paramref name="condition"/>; false at the deadline.</summary>
    public bool WaitUntil(Func<RecordingSink, bool> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        lock (_gate)
        {
            while (!condition(this))
            {
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) { return false; }
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }

    public void WriteObject(object value) => Record(() => Objects.Add(value));
    public void WriteError(ErrorInfo errorInfo) => Record(() => Errors.Add(errorInfo));
    public void WriteVerbose(string text) => Record(() => Verbose.Add(text));
    public void WriteWarning(string text) => Record(() => Warnings.Add(text));
    public void WriteDebug(string text) => Record(() => Debug.Add(text));
    public void WriteProgress(ProgressInfo progress) => Record(() => Progress.Add(progress));

    public bool ShouldProcess(string target, string action)
    {
        Record(() => ShouldProcessCalls.Add((target, action)));
        return Confirm;
    }

    public IEnumerable<GptImage.Prediction> Predictions => Objects.OfType<GptImage.Prediction>();
}

/// <summary>An emulator, a connection to it, a runner and a recording sink, as one cmdlet invocation sees them.</summary>
internal sealed class CmdletHarness : IAsyncDisposable
{
    private readonly ClientHarness _client;

    private CmdletHarness(ClientHarness client, Action<ConnectionOptions>? configure)
    {
        _client = client;
        Sink = new RecordingSink();
        Runner = new OperationRunner(Sink);
        var options = ClientHarness.OptionsFor(client.Server);
        configure?.Invoke(options);
        Connection = new GptImageConnection(options);
        Provider = Connection.CreateClient(log: line => Runner.Post(s => s.WriteVerbose(line)));
    }

    public RecordingSink Sink { get; }
    public OperationRunner Runner { get; }
    public GptImageConnection Connection { get; }
    public IImageApiClient Provider { get; }
    public GptImage.Emulator.EmulatorServer Server => _client.Server;
    public string Folder => _client.Folder;
    public string WriteImage(string name, int variant = 1) => _client.WriteImage(name, variant: variant);
    public string[] TempFiles() => _client.TempFiles();

    /// <summary>
    /// Runs what the cmdlet does in ProcessRecord/EndProcessing on one dedicated thread, as PowerShell's
    /// pipeline thread; the sink fails any write from another thread.
    /// </summary>
    public Task Pipeline(Action cmdlet)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Sink.PipelineThread = Environment.CurrentManagedThreadId;
            try { cmdlet(); done.SetResult(); }
            catch (Exception e) { done.SetException(e); }
        })
        { IsBackground = true };
        thread.Start();
        return done.Task;
    }

    public static async Task<CmdletHarness> StartAsync(GptImage.Emulator.EmulatorOptions? options = null, Action<ConnectionOptions>? configure = null) =>
        new(await ClientHarness.StartAsync(options ?? new GptImage.Emulator.EmulatorOptions { InferenceLatencyMs = 50 }), configure);

    public WaitSettings Settings(bool wait = false, bool save = false, double timeoutSec = 30, bool overwrite = false) => new()
    {
        Wait = wait,
        Timeout = TimeSpan.FromSeconds(timeoutSec),
        Save = save ? new SaveOptions { Directory = Folder, Overwrite = overwrite } : null,
    };

    public async ValueTask DisposeAsync()
    {
        Runner.Dispose();
        Connection.Dispose();
        await _client.DisposeAsync();
    }
}
