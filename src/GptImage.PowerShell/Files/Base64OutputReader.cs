using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Files;

/// <summary>
/// Reads a prediction answer whose <c>outputs</c> hold base64 images without ever holding an image, as text
/// or bytes, in memory: a small JSON scanner passes everything but those strings through to a skeleton
/// (where each output becomes ""), and decodes each output string buffer by buffer into a stream the caller
/// provides. The skeleton is then ordinary JSON to deserialize.
/// </summary>
internal sealed class Base64OutputReader : IDisposable
{
    private const int BufferSize = 16 * 1024;
    private readonly Func<int, Stream> _openOutput;
    private readonly MemoryStream _skeleton = new();
    private readonly List<Container> _stack = new();
    private readonly byte[] _pending = new byte[BufferSize];
    private readonly byte[] _decoded = new byte[BufferSize];
    private readonly byte[] _escape = new byte[4];
    private int _pendingCount;
    private bool _inString, _isKey, _capturing, _afterBackslash, _expectKey;
    private int _unicodeDigits = -1;
    private readonly List<byte> _key = new();
    private int _outputIndex;
    private Stream? _output;
    private long _outputBytes;
    private readonly long _maxOutputBytes;
    private readonly List<int> _oversized = new();

    private sealed class Container
    {
        public bool IsObject;
        public string? Key;
    }

    private readonly string? _valueKey;

    /// <param name="openOutput">Gives the stream output <c>i</c> is decoded into.</param>
    /// <param name="maxOutputBytes">
    /// The most one output may decode to (the image cap every download has): past it the output is no longer written
    /// and is listed in <see cref="Oversized"/>, while the rest of the answer is still read.
    /// </param>
    /// <param name="valueKey">
    /// Null for WaveSpeed's <c>outputs</c> array (in <c>data</c> or flat); a key name such as <c>b64_json</c> to
    /// decode every string value of that key instead (OpenAI-style <c>data[i].b64_json</c>).
    /// </param>
    public Base64OutputReader(Func<int, Stream> openOutput, long maxOutputBytes, string? valueKey = null)
    {
        _openOutput = openOutput;
        _maxOutputBytes = maxOutputBytes;
        _valueKey = valueKey;
    }

    /// <summary>How many output strings were decoded.</summary>
    public int OutputCount => _outputIndex;

    /// <summary>The outputs that decode to more than the cap: what was written of them is incomplete.</summary>
    public IReadOnlyList<int> Oversized => _oversized;

    /// <summary>Scans the whole stream; returns the skeleton JSON (UTF-8).</summary>
    public async Task<byte[]> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, 0, BufferSize, cancellationToken).ConfigureAwait(false)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (_capturing && !_afterBackslash && _unicodeDigits < 0)
                    {
                        // Inside an output: hand over the run up to the next quote or escape in one go.
                        var run = buffer.AsSpan(i, read - i);
                        var end = run.IndexOfAny((byte)'"', (byte)'\\');
                        var length = end < 0 ? run.Length : end;
                        AddBase64(run.Slice(0, length));
                        i += length;
                        if (i >= read) { break; }
                    }
                    Feed(buffer[i]);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (_inString || _stack.Count != 0)
        {
            throw new InvalidDataException("The answer ended before its JSON was complete.");
        }
        return _skeleton.ToArray();
    }

    public void Dispose() => _skeleton.Dispose();

    private bool AtOutputs => _valueKey is not null
        ? _stack.Count > 0 && _stack[_stack.Count - 1].IsObject && _stack[_stack.Count - 1].Key == _valueKey
        : _stack.Count >= 2 && !_stack[_stack.Count - 1].IsObject && _stack[_stack.Count - 2].IsObject
        && _stack[_stack.Count - 2].Key == "outputs"
        && (_stack.Count == 2 || (_stack.Count == 3 && _stack[0].IsObject && _stack[0].Key == "data"));

    private void Feed(byte b)
    {
        if (_inString)
        {
            FeedString(b);
            return;
        }
        if (b != (byte)'"') { _skeleton.WriteByte(b); }
        switch (b)
        {
            case (byte)'{':
                _stack.Add(new Container { IsObject = true });
                _expectKey = true;
                break;
            case (byte)'[':
                _stack.Add(new Container { IsObject = false });
                _expectKey = false;
                break;
            case (byte)'}':
            case (byte)']':
                if (_stack.Count == 0) { throw new InvalidDataException("Unbalanced JSON in the answer."); }
                _stack.RemoveAt(_stack.Count - 1);
                break;
            case (byte)',':
                _expectKey = _stack.Count > 0 && _stack[_stack.Count - 1].IsObject;
                break;
            case (byte)':':
                _expectKey = false;
                break;
            case (byte)'"':
                _inString = true;
                _isKey = _expectKey && _stack.Count > 0 && _stack[_stack.Count - 1].IsObject;
                _capturing = !_isKey && AtOutputs;
                _skeleton.WriteByte(b);
                if (_isKey) { _key.Clear(); }
                if (_capturing)
                {
                    _output = _openOutput(_outputIndex);
                    _outputBytes = 0;
                    _pendingCount = 0;
                }
                break;
            default:
                break;
        }
    }

    /// <summary>One byte inside a string: a key, a value kept in the skeleton, or an output being decoded.</summary>
    private void FeedString(byte b)
    {
        if (_unicodeDigits >= 0)
        {
            FeedUnicodeDigit(b);
        }
        else if (_afterBackslash)
        {
            FeedEscaped(b);
        }
        else if (b == (byte)'\\')
        {
            _afterBackslash = true;
            if (!_capturing) { _skeleton.WriteByte(b); }
        }
        else if (b == (byte)'"')
        {
            EndString(b);
        }
        else if (_capturing)
        {
            AddBase64(b);
        }
        else
        {
            Keep(b);
        }
    }

    /// <summary>A hex digit of a \uXXXX escape; the fourth ends it.</summary>
    private void FeedUnicodeDigit(byte b)
    {
        _escape[_unicodeDigits++] = b;
        if (_unicodeDigits < 4) { return; }
        _unicodeDigits = -1;
        var value = Convert.ToInt32(System.Text.Encoding.ASCII.GetString(_escape), 16);
        if (_capturing) { AddBase64((byte)value); }
        else
        {
            _skeleton.Write(_escape, 0, 4);
            if (_isKey) { _key.Add((byte)value); }
        }
    }

    /// <summary>The byte after a backslash: u starts a \uXXXX escape; in an output only \/ is data (\n, \r and the like are line breaks).</summary>
    private void FeedEscaped(byte b)
    {
        _afterBackslash = false;
        if (b == (byte)'u')
        {
            _unicodeDigits = 0;
            if (!_capturing) { _skeleton.WriteByte(b); }
        }
        else if (_capturing)
        {
            if (b == (byte)'/') { AddBase64(b); }
        }
        else
        {
            Keep(b);
        }
    }

    /// <summary>The closing quote: a key names its container's current key; an output is flushed and closed.</summary>
    private void EndString(byte quote)
    {
        _inString = false;
        _skeleton.WriteByte(quote);
        if (_isKey)
        {
            _stack[_stack.Count - 1].Key = System.Text.Encoding.UTF8.GetString(_key.ToArray());
        }
        if (_capturing)
        {
            FlushBase64(final: true);
            _output = null;
            _outputIndex++;
            _capturing = false;
        }
    }

    /// <summary>A byte of a string that is not an output: kept in the skeleton, and in the key being read.</summary>
    private void Keep(byte b)
    {
        _skeleton.WriteByte(b);
        if (_isKey) { _key.Add(b); }
    }

    private void AddBase64(ReadOnlySpan<byte> run)
    {
        while (run.Length > 0)
        {
            var take = Math.Min(run.Length, _pending.Length - _pendingCount);
            run.Slice(0, take).CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            run = run.Slice(take);
            if (_pendingCount == _pending.Length) { FlushBase64(final: false); }
        }
    }

    private void AddBase64(byte b)
    {
        if (b is (byte)'\r' or (byte)'\n' or (byte)' ') { return; }
        _pending[_pendingCount++] = b;
        if (_pendingCount == _pending.Length) { FlushBase64(final: false); }
    }

    private void FlushBase64(bool final)
    {
        var source = new ReadOnlySpan<byte>(_pending, 0, _pendingCount);
        var status = Base64.DecodeFromUtf8(source, _decoded, out var consumed, out var written, isFinalBlock: final);
        if (status == OperationStatus.InvalidData || (final && status != OperationStatus.Done))
        {
            // Read whole and wrong: the same answer again would be as wrong, so it is an invalid answer, not a cut one.
            throw new GptImageException(GptImageErrorKind.InvalidResponse, $"Output {_outputIndex} of the answer is not valid base64.");
        }
        _outputBytes += written;
        if (_outputBytes > _maxOutputBytes)
        {
            // Over the cap: decoded on (so the rest of the answer is read) but no longer written.
            if (!_oversized.Contains(_outputIndex)) { _oversized.Add(_outputIndex); }
        }
        else
        {
            _output!.Write(_decoded, 0, written);
        }
        var rest = _pendingCount - consumed;
        Buffer.BlockCopy(_pending, consumed, _pending, 0, rest);
        _pendingCount = rest;
    }
}
