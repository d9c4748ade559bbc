using BenchmarkDotNet.Attributes;
using GptImage.Files;

namespace GptImage.Benchmarks;

/// <summary>Decoding one base64 image answer: the streaming reader against parsing the text whole.</summary>
[MemoryDiagnoser]
public class Base64Benchmarks
{
    private byte[] _answer = [];

    [Params(1024 * 1024, 4 * 1024 * 1024)]
    public int ImageBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var image = new byte[ImageBytes];
        new Random(1).NextBytes(image);
        _answer = System.Text.Encoding.UTF8.GetBytes($$$"""{"code":200,"data":{"id":"p","status":"completed","outputs":["{{{Convert.ToBase64String(image)}}}"]}}""");
    }

    [Benchmark(Baseline = true)]
    public long WholeText()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(_answer)!;
        var bytes = Convert.FromBase64String(node["data"]!["outputs"]![0]!.GetValue<string>());
        Stream.Null.Write(bytes);
        return bytes.Length;
    }

    [Benchmark]
    public async Task<int> Streaming()
    {
        using var reader = new Base64OutputReader(_ => Stream.Null, long.MaxValue);
        using var source = new MemoryStream(_answer);
        var skeleton = await reader.ReadAsync(source, CancellationToken.None);
        return skeleton.Length;
    }
}
