using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Providers.ImagesApi;

/// <summary>
/// A bounded reader of a server-sent event stream (the WHATWG "text/event-stream" format): each event's data (its
/// <c>data:</c> lines joined by line feeds) is handed over as a stream, read as it arrives, so an event whose data is a
/// base64 image of tens of megabytes is decoded chunk by chunk and never held whole. Lines end in LF, CR or CRLF;
/// comments (<c>:</c>) and the <c>event</c>, <c>id</c> and <c>retry</c> fields are read past (the data's own JSON
/// <c>type</c> names the event, as the official SDKs read it). Caps: every byte of one event (its fields and the comments
/// before it) counts against <c>maxEventBytes</c>, and at most <c>maxEvents</c> events with data are read; past either the
/// answer is invalid. A body that ends inside an event is cut (an <see cref="IOException"/>).
/// </summary>
/// <remarks>
/// Why not System.Net.ServerSentEvents (Microsoft's parser on NuGet): its SseParser collects an event's whole data in memory
/// before handing it to the item parser, with no size cap, so a partial image would be buffered whole (or without limit from
/// a hostile server); and for net472 it would be one more assembly for build.ps1's list and the resolve handler. The format is
/// small; this reader is about 150 lines and every cap is its own.
/// </remarks>
internal sealed class ServerSentEvents
{
    private const int BufferSize = 16 * 1024;
    private const int MaxFieldName = 16;
    private readonly Stream _body;
    private readonly long _maxEventBytes;
    private readonly int _maxEvents;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly byte[] _name = new byte[MaxFieldName];
    private int _position, _length;
    private bool _ended, _skipLineFeed, _inValue, _eventDone, _newlineOwed;
    private long _eventBytes;
    private int _dataLines;
    private bool _started;

    public ServerSentEvents(Stream body, long maxEventBytes, int maxEvents)
    {
        _body = body;
        _maxEventBytes = maxEventBytes;
        _maxEvents = maxEvents;
    }

    /// <summary>How many events with data have been read.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The data of the next event that has any, to be read to its end before the next call; null when the body ends between
    /// events. Throws <see cref="GptImageException"/> (InvalidResponse) past the event count cap.
    /// </summary>
    public async Task<Stream?> NextAsync(CancellationToken cancellationToken)
    {
        if (_started && !_eventDone)
        {
            throw new InvalidOperationException("The previous event's data was not read to its end.");
        }
        _eventBytes = 0;
        _dataLines = 0;
        _eventDone = false;
        while (true)
        {
            var (field, hasValue) = await ReadFieldNameAsync(cancellationToken).ConfigureAwait(false);
            if (field is null) { return null; }
            if (field == "data")
            {
                if (++Count > _maxEvents)
                {
                    throw new GptImageException(GptImageErrorKind.InvalidResponse, $"The event stream has more than {_maxEvents} events, the most expected of it.");
                }
                StartDataLine(hasValue);
                _started = true;
                return new EventData(this);
            }
            if (field.Length == 0 && !hasValue) { _eventBytes = 0; continue; }
            if (hasValue) { await SkipValueAsync(cancellationToken).ConfigureAwait(false); }
        }
    }

    private void StartDataLine(bool hasValue)
    {
        _newlineOwed = _dataLines++ > 0;
        _inValue = hasValue;
    }

    /// <summary>Reads the current event's data into <paramref name="destination"/>; 0 once the blank line that ends it is read.</summary>
    private async Task<int> ReadDataAsync(byte[] destination, int offset, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_eventDone || count == 0) { return 0; }
            if (_newlineOwed)
            {
                _newlineOwed = false;
                destination[offset] = (byte)'\n';
                return 1;
            }
            if (_inValue)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false)) { throw Cut(); }
                var span = new ReadOnlySpan<byte>(_buffer, _position, _length - _position);
                var end = span.IndexOfAny((byte)'\r', (byte)'\n');
                var take = Math.Min(end < 0 ? span.Length : end, count);
                if (take > 0)
                {
                    span.Slice(0, take).CopyTo(destination.AsSpan(offset, take));
                    Consume(take);
                    return take;
                }
                EndLine();
                _inValue = false;
                continue;
            }
            var (field, hasValue) = await ReadFieldNameAsync(cancellationToken).ConfigureAwait(false);
            if (field is null) { throw Cut(); }
            if (field.Length == 0 && !hasValue)
            {
                _eventDone = true;
                return 0;
            }
            if (field == "data") { StartDataLine(hasValue); }
            else if (hasValue) { await SkipValueAsync(cancellationToken).ConfigureAwait(false); }
        }
    }

    /// <summary>
    /// Reads a line's field name up to its colon (and the one space after it) or its end: ("", false) for a blank line, ("", true)
    /// for a comment, (null, _) at the end of the body. hasValue says whether a value follows on the line.
    /// </summary>
    private async Task<(string? Field, bool HasValue)> ReadFieldNameAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false)) { return (null, false); }
            var b = _buffer[_position];
            if (b is (byte)'\r' or (byte)'\n')
            {
                EndLine();
                return (Name(length), false);
            }
            Consume(1);
            if (b == (byte)':')
            {
                if (await FillAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == (byte)' ') { Consume(1); }
                return (Name(length), true);
            }
            if (length < MaxFieldName) { _name[length] = b; }
            length++;
        }
    }

    /// <summary>A field name as read; one longer than any field's is none of them.</summary>
    private string Name(int length) => length > MaxFieldName ? "?" : System.Text.Encoding.ASCII.GetString(_name, 0, length);

    private async Task SkipValueAsync(CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            var span = new ReadOnlySpan<byte>(_buffer, _position, _length - _position);
            var end = span.IndexOfAny((byte)'\r', (byte)'\n');
            if (end >= 0)
            {
                Consume(end);
                EndLine();
                return;
            }
            Consume(span.Length);
        }
    }

    /// <summary>Consumes the CR, LF or CRLF at the position (a CR's LF may be in the next read).</summary>
    private void EndLine()
    {
        var cr = _buffer[_position] == (byte)'\r';
        Consume(1);
        if (!cr) { return; }
        if (_position < _length) { if (_buffer[_position] == (byte)'\n') { Consume(1); } }
        else { _skipLineFeed = true; }
    }

    private void Consume(int count)
    {
        _position += count;
        _eventBytes += count;
        if (_eventBytes > _maxEventBytes)
        {
            throw new GptImageException(GptImageErrorKind.InvalidResponse, $"An event of the stream is longer than {_maxEventBytes} bytes, the most one may be.");
        }
    }

    /// <summary>Whether a byte is ready at the position (reading more when none is); false at the end of the body.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        while (_position >= _length || (_skipLineFeed && _position < _length))
        {
            if (_skipLineFeed && _position < _length)
            {
                _skipLineFeed = false;
                if (_buffer[_position] == (byte)'\n') { Consume(1); }
                continue;
            }
            if (_ended) { return false; }
            _length = await _body.ReadAsync(_buffer, 0, BufferSize, cancellationToken).ConfigureAwait(false);
            _position = 0;
            if (_length == 0) { _ended = true; }
        }
        return true;
    }

    private static IOException Cut() => new("The event stream ended inside an event.");

    /// <summary>One event's data as a read-only stream.</summary>
    private sealed class EventData : Stream
    {
        private readonly ServerSentEvents _owner;

        public EventData(ServerSentEvents owner) => _owner = owner;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _owner.ReadDataAsync(buffer, offset, count, cancellationToken);

#if NET8_0_OR_GREATER
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var chunk = new byte[Math.Min(buffer.Length, BufferSize)];
            var read = await _owner.ReadDataAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
            chunk.AsSpan(0, read).CopyTo(buffer.Span);
            return read;
        }
#endif

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
