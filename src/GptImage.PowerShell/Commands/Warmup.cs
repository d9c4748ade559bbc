using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Client;
using GptImage.Operations;

namespace GptImage.Commands;

/// <summary>
/// A fresh PowerShell session pays for compiling the client's code on its first task: about a tenth of a
/// second before the first submit leaves and some hundredths after its image arrives, which a two-second
/// batch feels. On import, one task is run on a thread-pool thread against canned answers (no network; its
/// image goes to a temporary folder that is removed) through what New-GptImage | Wait-GptImagePrediction run
/// (the operations, the runner, the client), so that cost is paid while the user's script goes on.
/// On .NET the answers come through the runtime's own HTTP/1.1 connection code over an in-memory stream
/// (no socket is opened), so that code is compiled too.
/// </summary>
internal static class Warmup
{
    private static int _started;

    /// <summary>Starts the warm-up once per process; returns at once.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) { return; }
        _ = Task.Run(RunAsync);
    }

    /// <summary>Submits, waits for and saves one canned task; true when it went through (failures are ignored).</summary>
    internal static async Task<bool> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "GptImage", "warmup-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        try
        {
            var options = new ConnectionOptions
            {
                BaseUri = new Uri("http://127.0.0.1/"),
                Credential = new ApiCredential("warm-up"),
                MaximumRetryCount = 0,
                PollSchedule = new PollSchedule { FirstDelay = TimeSpan.Zero, MinInterval = TimeSpan.Zero, SpreadFirstDelay = false },
            };
            using var client = new WaveSpeedClient(options, CreateHandler());
            var sink = new Sink();
            await Task.Run(() =>
            {
                using (var runner = new OperationRunner(sink))
                {
                    var submit = new NewImageOperation(runner, client, new ImageTemplate { Quality = "low" }, new WaitSettings());
                    submit.Process("warm-up");
                    submit.End();
                }
                using (var runner = new OperationRunner(sink))
                {
                    var wait = new WaitPredictionOperation(runner, client, new WaitSettings { Wait = true, Save = new SaveOptions { Directory = folder } });
                    foreach (var prediction in sink.Submitted.ToArray()) { wait.Process(prediction); }
                    wait.End();
                }
            }).ConfigureAwait(false);
            return sink.Submitted.Count == 2 && sink.Submitted[1].Files.Count == 1 && sink.Errors == 0;
        }
#pragma warning disable CA1031 // a warm-up that fails costs nothing but the time it saves
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
        finally
        {
            try
            {
                if (Directory.Exists(folder)) { Directory.Delete(folder, recursive: true); }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left in the temp folder; nothing depends on it.
            }
        }
    }

    /// <summary>Keeps what the operations write; asks nobody.</summary>
    private sealed class Sink : ICmdletSink
    {
        public List<Prediction> Submitted { get; } = new();
        public int Errors { get; private set; }
        public void WriteObject(object value)
        {
            if (value is Prediction prediction) { Submitted.Add(prediction); }
        }
        public void WriteError(ErrorInfo errorInfo) => Errors++;
        public void WriteVerbose(string text)
        {
        }
        public void WriteWarning(string text)
        {
        }
        public void WriteProgress(ProgressInfo progress)
        {
        }
        public bool ShouldProcess(string target, string action) => true;
    }

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>What WaveSpeed answers: the submit (created), a completed result, a 1x1 PNG.</summary>
    private static (string ContentType, byte[] Body) Answer(string method, string path)
    {
        if (path.EndsWith(".png", StringComparison.Ordinal)) { return ("image/png", Png); }
        var done = method == "GET";
        var json = "{\"code\":200,\"message\":\"success\",\"data\":{\"id\":\"warmup\",\"model\":\"openai/gpt-image-1/text-to-image\"," +
            "\"outputs\":[" + (done ? "\"http://127.0.0.1/outputs/warmup/0.png\"" : string.Empty) + "]," +
            "\"urls\":{\"get\":\"http://127.0.0.1/api/v3/predictions/warmup/result\"},\"has_nsfw_contents\":[" + (done ? "false" : string.Empty) + "]," +
            "\"status\":\"" + (done ? "completed" : "created") + "\",\"created_at\":\"2025-01-01T00:00:00.000Z\",\"error\":\"\",\"timings\":{\"inference\":" + (done ? "1" : "0") + "}}}";
        return ("application/json", Encoding.UTF8.GetBytes(json));
    }

#if NETFRAMEWORK
    private static HttpMessageHandler CreateHandler() => new CannedService();

    /// <summary>Answers in place of the network stack.</summary>
    private sealed class CannedService : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (type, body) = Answer(request.Method.Method, request.RequestUri?.AbsolutePath ?? string.Empty);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(body) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
            return Task.FromResult(response);
        }
    }
#else
    private static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        UseProxy = false,
        ConnectCallback = (context, cancellationToken) => new ValueTask<Stream>(new CannedConnection()),
    };

    /// <summary>An HTTP/1.1 server's side of a connection, in memory: reads whole requests, writes canned answers.</summary>
    private sealed class CannedConnection : Stream
    {
        private readonly MemoryStream _request = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly CancellationTokenSource _closed = new();
        private byte[] _response = Array.Empty<byte>();
        private int _sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_request) { _request.Write(buffer, offset, count); }
            _arrived.Release();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_request) { _request.Write(buffer.Span); }
            _arrived.Release();
            return default;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_closed.IsCancellationRequested) { return 0; }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            while (_sent == _response.Length)
            {
                if (TakeRequest() is { } answer)
                {
                    _response = answer;
                    _sent = 0;
                    break;
                }
                try
                {
                    await _arrived.WaitAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_closed.IsCancellationRequested)
                {
                    return 0;
                }
            }
            var n = Math.Min(buffer.Length, _response.Length - _sent);
            _response.AsMemory(_sent, n).CopyTo(buffer);
            _sent += n;
            return n;
        }

        /// <summary>The answer to the first whole request received (and drops it), or null while none is whole.</summary>
        private byte[]? TakeRequest()
        {
            lock (_request)
            {
                var data = _request.GetBuffer();
                var length = (int)_request.Length;
                var text = Encoding.ASCII.GetString(data, 0, length);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0) { return null; }
                var head = text.Substring(0, end);
                var contentLength = 0;
                foreach (var line in head.Split('\n'))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = int.Parse(line.Substring(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
                var total = end + 4 + contentLength;
                if (length < total) { return null; }
                var rest = data.AsSpan(total, length - total).ToArray();
                _request.SetLength(0);
                _request.Write(rest, 0, rest.Length);
                var parts = head.Substring(0, head.IndexOf("\r\n", StringComparison.Ordinal)).Split(' ');
                var (type, body) = Answer(parts[0], parts.Length > 1 ? parts[1] : string.Empty);
                var header = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\n\r\n");
                var answer = new byte[header.Length + body.Length];
                header.CopyTo(answer, 0);
                body.CopyTo(answer, header.Length);
                return answer;
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // A read may still be pending (the pool's look-ahead): it ends with 0, as a closed connection's does.
                _closed.Cancel();
            }
            base.Dispose(disposing);
        }
    }
#endif
}
