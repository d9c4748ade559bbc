using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Http;

/// <summary>
/// A read-only stream that re-arms a timeout before every read (the timeout then measures a stall, not the
/// whole body) and refuses to read past a cap.
/// </summary>
internal sealed class StallGuardStream : Stream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _stall;
    private readonly long _cap;
    private long _read;

    public StallGuardStream(Stream inner, CancellationTokenSource timeout, TimeSpan stall, long cap)
    {
        _inner = inner;
        _timeout = timeout;
        _stall = stall;
        _cap = cap;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _timeout.CancelAfter(_stall);
        if (!NeedsLink(cancellationToken)) { return Count(await _inner.ReadAsync(buffer, offset, count, _timeout.Token).ConfigureAwait(false)); }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
        return Count(await _inner.ReadAsync(buffer, offset, count, linked.Token).ConfigureAwait(false));
    }

#if NET8_0_OR_GREATER
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _timeout.CancelAfter(_stall);
        if (!NeedsLink(cancellationToken)) { return Count(await _inner.ReadAsync(buffer, _timeout.Token).ConfigureAwait(false)); }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
        return Count(await _inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false));
    }
#endif

    /// <summary>
    /// Whether a read's token adds anything to the answer's own (which the caller's token already cancels): the
    /// readers pass the answer's token, or none, so no token source is made per chunk.
    /// </summary>
    private bool NeedsLink(CancellationToken cancellationToken) => cancellationToken.CanBeCanceled && cancellationToken != _timeout.Token;

    private int Count(int read)
    {
        _read += read;
        if (_read > _cap)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, $"The answer is longer than {_cap} bytes, the most that is read of any answer.");
        }
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _inner.Dispose(); }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
