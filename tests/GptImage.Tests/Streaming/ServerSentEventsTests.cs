using System.Text;
using GptImage.Providers.ImagesApi;

namespace GptImage.Tests.Streaming;

/// <summary>The bounded event-stream reader: the format's line endings, fields and comments, and its caps.</summary>
public sealed class ServerSentEventsTests
{
    /// <summary>A body that hands out at most <paramref name="chunk"/> bytes per read, so every boundary falls everywhere.</summary>
    private sealed class Trickle(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }

    private static async Task<List<string>> ReadAllAsync(string body, int chunk = 4096, long maxEventBytes = 1 << 20, int maxEvents = 10)
    {
        var events = new ServerSentEvents(new Trickle(Encoding.UTF8.GetBytes(body), chunk), maxEventBytes, maxEvents);
        var all = new List<string>();
        while (await events.NextAsync(CancellationToken.None) is { } data)
        {
            using var reader = new StreamReader(data);
            all.Add(await reader.ReadToEndAsync());
        }
        return all;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Events_are_read_whatever_the_line_endings_and_read_sizes(int chunk)
    {
        var body = ": keep-alive\r\nevent: image_generation.partial_image\r\ndata: {\"a\":1}\r\n\r\n" +
                   "id: 7\rdata:first\rdata: second\r\r" +
                   "retry: 10\nevent: x\n\n" +      // an event without data is not one
                   "data\n\n" +                     // a data field without a colon: an empty line of data
                   "data: last\n\n";
        Assert.Equal(new[] { "{\"a\":1}", "first\nsecond", "", "last" }, await ReadAllAsync(body, chunk));
    }

    [Fact]
    public async Task A_body_that_ends_inside_an_event_is_cut()
    {
        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync("data: {\"a\":1}\n\ndata: {\"b\""));
        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync("data: whole line but no blank line\n"));
        // Between events the body may end.
        Assert.Single(await ReadAllAsync("data: x\n\n: trailing comment\n"));
    }

    [Fact]
    public async Task An_event_longer_than_the_cap_is_an_invalid_answer()
    {
        var e = await Assert.ThrowsAsync<GptImageException>(() => ReadAllAsync("data: " + new string('A', 5000) + "\n\n", maxEventBytes: 4096));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
        // Comments before an event count against it too: an endless keep-alive cannot grow one without bound.
        var comments = string.Concat(Enumerable.Repeat(": ping\n", 1000)) + "data: x\n\n";
        Assert.Equal(GptImageErrorKind.InvalidResponse, (await Assert.ThrowsAsync<GptImageException>(() => ReadAllAsync(comments, maxEventBytes: 4096))).Kind);
        // A blank line resets the count: many small events are each within it.
        Assert.Equal(3, (await ReadAllAsync(string.Concat(Enumerable.Repeat("data: " + new string('A', 3000) + "\n\n", 3)), maxEventBytes: 4096)).Count);
    }

    [Fact]
    public async Task More_events_than_the_cap_is_an_invalid_answer()
    {
        var e = await Assert.ThrowsAsync<GptImageException>(() => ReadAllAsync(string.Concat(Enumerable.Repeat("data: x\n\n", 4)), maxEvents: 3));
        Assert.Contains("more than 3 events", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_must_be_read_to_its_end_before_the_next()
    {
        var events = new ServerSentEvents(new MemoryStream(Encoding.UTF8.GetBytes("data: abc\n\ndata: d\n\n")), 1024, 5);
        Assert.NotNull(await events.NextAsync(CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => events.NextAsync(CancellationToken.None));
    }
}
