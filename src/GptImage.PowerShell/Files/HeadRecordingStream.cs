using System;
using System.IO;

namespace GptImage.Files;

/// <summary>A write-only pass-through stream that keeps the first and last bytes written (for the image signature and end marker).</summary>
internal sealed class HeadRecordingStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _head = new byte[12];
    private int _headLength;
    private readonly byte[] _tail = new byte[12];

    public HeadRecordingStream(Stream inner) => _inner = inner;

    public ReadOnlySpan<byte> Head => new(_head, 0, _headLength);

    /// <summary>The last bytes written (up to 12).</summary>
    public ReadOnlySpan<byte> Tail => new(_tail, (int)Math.Max(0, _tail.Length - Written), (int)Math.Min(_tail.Length, Written));

    /// <summary>How many bytes were written.</summary>
    public long Written { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

    private void Record(ReadOnlySpan<byte> written)
    {
        var take = Math.Min(written.Length, _head.Length - _headLength);
        if (take > 0)
        {
            written.Slice(0, take).CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }
        // The tail is kept right-aligned: shift what stays, append the newest bytes.
        var fresh = Math.Min(written.Length, _tail.Length);
        Buffer.BlockCopy(_tail, fresh, _tail, 0, _tail.Length - fresh);
        written.Slice(written.Length - fresh).CopyTo(_tail.AsSpan(_tail.Length - fresh));
        Written += written.Length;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Record(buffer.AsSpan(offset, count));
        _inner.Write(buffer, offset, count);
    }

    public override System.Threading.Tasks.Task WriteAsync(byte[] buffer, int offset, int count, System.Threading.CancellationToken cancellationToken)
    {
        Record(buffer.AsSpan(offset, count));
        return _inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

#if NET8_0_OR_GREATER
    public override System.Threading.Tasks.ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, System.Threading.CancellationToken cancellationToken = default)
    {
        Record(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }
#endif

    public override void Flush() => _inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
