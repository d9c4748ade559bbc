using System;
using System.Diagnostics;
using System.IO;

namespace GptImage.Images;

/// <summary>
/// A read-only view of a file that stops answering once its time is up: ImageSharp 2.1's decoders do not honour a
/// cancellation token, but they read as they go, so a read that throws is what ends a decode that runs too long.
/// </summary>
internal sealed class TimedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _deadline;

    public TimedReadStream(Stream inner, TimeSpan limit)
    {
        _inner = inner;
        _deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Whether a read was refused because the time was up.</summary>
    public bool Expired { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => _inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            Expired = true;
            throw new TimeoutException("Reading the image took longer than allowed.");
        }
        return _inner.Read(buffer, offset, count);
    }

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
