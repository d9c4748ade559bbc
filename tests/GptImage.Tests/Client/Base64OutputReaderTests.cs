using System.Text;
using GptImage.Files;

namespace GptImage.Tests.Client;

public sealed class Base64OutputReaderTests
{
    private static (string Skeleton, List<byte[]> Outputs) Read(string json, int chunk = 7, long cap = long.MaxValue) => Read(json, chunk, cap, out _);

    private static (string Skeleton, List<byte[]> Outputs) Read(string json, int chunk, long cap, out IReadOnlyList<int> oversized)
    {
        var outputs = new List<MemoryStream>();
        using var reader = new Base64OutputReader(i => { var s = new MemoryStream(); outputs.Add(s); return s; }, cap);
        using var source = new ChunkedStream(Encoding.UTF8.GetBytes(json), chunk);
        var skeleton = reader.ReadAsync(source, CancellationToken.None).GetAwaiter().GetResult();
        oversized = reader.Oversized;
        return (Encoding.UTF8.GetString(skeleton), outputs.Select(o => o.ToArray()).ToList());
    }

    [Fact]
    public void Outputs_are_decoded_and_replaced_by_empty_strings_in_the_skeleton()
    {
        var a = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var b = TestImages.Png(20, 10);
        var json = $$$"""{"code":200,"message":"success","data":{"id":"p1","outputs":["{{{Convert.ToBase64String(a)}}}","{{{Convert.ToBase64String(b)}}}"],"urls":{"get":"https://x/y"},"error":"a \"quoted\" \\ text","status":"completed"}}""";
        var (skeleton, outputs) = Read(json);
        Assert.Equal(a, outputs[0]);
        Assert.Equal(b, outputs[1]);
        Assert.Equal("""{"code":200,"message":"success","data":{"id":"p1","outputs":["",""],"urls":{"get":"https://x/y"},"error":"a \"quoted\" \\ text","status":"completed"}}""", skeleton);
    }

    [Fact]
    public void Json_escapes_inside_base64_are_understood()
    {
        var bytes = Enumerable.Range(0, 3000).Select(i => (byte)(255 - (i % 256))).ToArray();
        var text = Convert.ToBase64String(bytes);
        Assert.Contains('+', text);
        Assert.Contains('/', text);
        var escaped = text.Replace("+", "\\u002B").Replace("/", "\\/").Replace("=", "\\u003d");
        var (_, outputs) = Read($$$"""{"data":{"outputs":["{{{escaped}}}"]}}""", chunk: 3);
        Assert.Equal(bytes, outputs[0]);
    }

    [Fact]
    public void The_flat_webhook_shape_and_other_string_arrays_are_handled()
    {
        var (skeleton, outputs) = Read($$$"""{"id":"p","has_nsfw_contents":[false],"tags":["aGk="],"outputs":["aGk="]}""");
        Assert.Equal("hi"u8.ToArray(), Assert.Single(outputs));
        Assert.Contains("\"tags\":[\"aGk=\"]", skeleton);
    }

    [Fact]
    public void Cut_off_answers_are_read_errors_and_invalid_base64_an_invalid_answer()
    {
        Assert.Throws<InvalidDataException>(() => Read("""{"data":{"outputs":["aGk="""));
        // Read whole and wrong: not a cut answer worth fetching again.
        var e = Assert.Throws<GptImageException>(() => Read("""{"data":{"outputs":["not base64!"]}}"""));
        Assert.Equal(GptImageErrorKind.InvalidResponse, e.Kind);
    }

    [Fact]
    public void An_output_over_the_cap_is_written_up_to_it_listed_as_oversized_and_the_rest_of_the_answer_still_read()
    {
        var big = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();
        var json = $$$"""{"data":{"id":"p","outputs":["{{{Convert.ToBase64String(big)}}}","aGk="],"status":"completed"}}""";
        var (skeleton, outputs) = Read(json, 4096, 30_000, out var oversized);
        Assert.Equal([0], oversized);
        Assert.True(outputs[0].Length <= 30_000);
        Assert.Equal("hi"u8.ToArray(), outputs[1]);
        Assert.EndsWith("\"status\":\"completed\"}}", skeleton, StringComparison.Ordinal);
        // Exactly at the cap is not over it.
        Assert.Equal(big, Read(json, 4096, 40_000, out var none).Outputs[0]);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Decoding_a_large_output_allocates_a_small_fraction_of_its_size()
    {
        var image = new byte[6 * 1024 * 1024];
        new Random(1).NextBytes(image);
        var json = Encoding.UTF8.GetBytes($$$"""{"data":{"id":"p","outputs":["{{{Convert.ToBase64String(image)}}}"]}}""");
        using var sink = new CountingStream();
        using var reader = new Base64OutputReader(_ => sink, long.MaxValue);
        using var source = new MemoryStream(json);
        // Measured on this thread only: the read must complete synchronously here (in-memory streams), so no
        // continuation allocates on another thread unseen.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = reader.ReadAsync(source, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(read.IsCompletedSuccessfully, "the read completed on this thread");
        await read;
        Assert.Equal(image.Length, sink.Written);
        Assert.True(allocated < image.Length / 20, $"{allocated} bytes allocated decoding {image.Length}");
    }

    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }

    private sealed class CountingStream : Stream
    {
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Written += count;
    }
}
