using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Http;

/// <summary>An HTTP answer together with the timeout that still governs reading its body.</summary>
internal sealed class ApiResponse : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _stall;

    public ApiResponse(HttpResponseMessage message, CancellationTokenSource timeout, TimeSpan stall, long cap)
    {
        Message = message;
        _timeout = timeout;
        _stall = stall;
        _cap = cap;
    }

    private readonly long _cap;

    /// <summary>
    /// The body, read with <see cref="Token"/>: every read gives the answer <c>stall</c> more time, so a body
    /// that keeps coming is read however long it is, and one that stops coming is abandoned (a transient fault).
    /// No body is read past the cap of every answer (<see cref="TransportOptions.MaxAnswerBytes"/>), or past
    /// <paramref name="cap"/> when the reader bounds a longer answer itself (an event stream: its events and their count).
    /// </summary>
    public async Task<Stream> ReadBodyAsync(long? cap = null, TimeSpan? stall = null) =>
        new StallGuardStream(await Message.Content.ReadAsStreamAsync().ConfigureAwait(false), _timeout, stall ?? _stall, cap ?? _cap);

    public HttpResponseMessage Message { get; }

    /// <summary>Cancelled by the caller's token or by the request timeout.</summary>
    public CancellationToken Token => _timeout.Token;

    public int Status => (int)Message.StatusCode;

    public bool IsSuccess => Message.IsSuccessStatusCode;

    public void Dispose()
    {
        Message.Dispose();
        _timeout.Dispose();
    }
}
