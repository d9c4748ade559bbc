namespace System.Threading.Tasks
{
    /// <summary>.NET 5+'s TaskCompletionSource without a result, over the generic one.</summary>
    internal sealed class TaskCompletionSource
    {
        private readonly TaskCompletionSource<bool> _inner;

        public TaskCompletionSource(TaskCreationOptions options = TaskCreationOptions.None) => _inner = new TaskCompletionSource<bool>(options);

        public Task Task => _inner.Task;

        public void SetResult() => _inner.SetResult(true);

        public bool TrySetResult() => _inner.TrySetResult(true);

        public void SetException(Exception exception) => _inner.SetException(exception);

        public bool TrySetException(Exception exception) => _inner.TrySetException(exception);

        public bool TrySetCanceled() => _inner.TrySetCanceled();
    }
}

namespace System.Net.Http
{
    /// <summary>.NET Framework's one handler stands in for .NET's SocketsHttpHandler where a test wraps the platform's handler.</summary>
    internal sealed class SocketsHttpHandler : HttpClientHandler
    {
    }
}

namespace System.IO.Compression
{
    /// <summary>.NET 6+'s ZLibStream, writing only: the zlib header, DEFLATE data and the Adler-32 trailer (RFC 1950).</summary>
    internal sealed class ZLibStream : Stream
    {
        private readonly Stream _target;
        private readonly DeflateStream _deflate;
        private readonly bool _leaveOpen;
        private uint _a = 1, _b;

        public ZLibStream(Stream target, CompressionLevel level, bool leaveOpen = false)
        {
            _target = target;
            _leaveOpen = leaveOpen;
            target.WriteByte(0x78);
            target.WriteByte(0x9C);
            _deflate = new DeflateStream(target, level, leaveOpen: true);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            for (var i = offset; i < offset + count; i++)
            {
                _a = (_a + buffer[i]) % 65521;
                _b = (_b + _a) % 65521;
            }
            _deflate.Write(buffer, offset, count);
        }

        public override void Flush() => _deflate.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _deflate.Dispose();
                var adler = (_b << 16) | _a;
                _target.Write([(byte)(adler >> 24), (byte)(adler >> 16), (byte)(adler >> 8), (byte)adler], 0, 4);
                if (!_leaveOpen) { _target.Dispose(); }
            }
            base.Dispose(disposing);
        }
    }
}
