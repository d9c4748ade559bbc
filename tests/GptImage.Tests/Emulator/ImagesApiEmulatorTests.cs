using System.Net;
using System.Net.Http.Headers;
using GptImage.Emulator;

namespace GptImage.Tests.Emulator;

public sealed class ImagesApiEmulatorTests
{
    private static readonly byte[] Square = Png.Create(64, 64, 1, ImageContent.Pattern);
    private static readonly byte[] Wide = Png.Create(96, 64, 2, ImageContent.Pattern);

    [Fact]
    public async Task Aiml_generation_answers_a_url_by_default_with_meta_usage()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        await using var _ = server;
        using var __ = client;
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var response = await client.PostJsonAsync("v1/images/generations", new { model = "openai/gpt-image-1", prompt = "x", size = "1536x1024" });
        var json = await EmulatorClient.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(json["created"]!.GetValue<long>(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var bytes = await client.Http.GetByteArrayAsync(json["data"]![0]!["url"]!.GetValue<string>());
        Assert.True(Png.TryReadSize(bytes, out var w, out var h));
        Assert.Equal((1536, 1024), (w, h));
        Assert.Equal(0.042, json["meta"]!["usage"]!["usd_spent"]!.GetValue<double>());
        Assert.Equal(1, server.Stats.ImageGenerations);
    }

    [Fact]
    public async Task Aiml_generation_answers_b64_json_when_asked_and_openai_always_does_with_top_level_usage()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        await using var _ = server;
        using var __ = client;
        using var aiml = await client.PostJsonAsync("v1/images/generations", new { model = "openai/gpt-image-1", prompt = "x", response_format = "b64_json" });
        Assert.True(Png.TryReadSize(Convert.FromBase64String((await EmulatorClient.JsonAsync(aiml))["data"]![0]!["b64_json"]!.GetValue<string>()), out var w0, out var h0));
        Assert.Equal((1024, 1024), (w0, h0));

        using var openai = await client.PostJsonAsync("v1/images/generations", new { model = "gpt-image-1", prompt = "x", n = 2, quality = "auto", size = "auto" });
        var json = await EmulatorClient.JsonAsync(openai);
        Assert.Equal(2, json["data"]!.AsArray().Count);
        Assert.True(Png.TryReadSize(Convert.FromBase64String(json["data"]![1]!["b64_json"]!.GetValue<string>()), out var w1, out var h1));
        Assert.Equal((1024, 1024), (w1, h1));
        Assert.Equal(1056 * 2 + 1, json["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Null(json["meta"]);
    }

    public static TheoryData<string, string> InvalidGenerations => new()
    {
        { """{"model":"openai/gpt-image-1","prompt":"x","size":"256x256"}""", "size" },
        { """{"model":"openai/gpt-image-1","prompt":"x","quality":"auto"}""", "quality" },
        { """{"model":"openai/gpt-image-1","prompt":"x","output_format":"gif"}""", "output_format" },
        { """{"model":"openai/gpt-image-1","prompt":"x","output_format":"jpeg","output_compression":101}""", "output_compression" },
        { """{"model":"openai/gpt-image-1","prompt":"x","output_compression":50}""", "output_compression" },
        { """{"model":"openai/gpt-image-1","prompt":"x","background":"transparent","output_format":"jpeg"}""", "background" },
        { """{"model":"openai/gpt-image-1","prompt":"x","moderation":"none"}""", "moderation" },
        { """{"model":"openai/gpt-image-1","prompt":"x","n":2}""", "n" },
        { """{"model":"gpt-image-1","prompt":"x","n":11}""", "n" },
        { """{"model":"gpt-image-1","prompt":"x","response_format":"url"}""", "response_format" },
        { """{"model":"openai/gpt-image-1","prompt":"x","response_format":"png"}""", "response_format" },
        { """{"model":"dall-e-2","prompt":"x"}""", "model" },
        { """{"model":"openai/gpt-image-1"}""", "prompt" },
    };

    [Theory]
    [MemberData(nameof(InvalidGenerations))]
    public async Task Invalid_generations_are_400_with_the_openai_error_shape_naming_the_param(string body, string param)
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("v1/images/generations", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await EmulatorClient.JsonAsync(response))["error"]!;
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.Equal(0, server.Stats.ImageGenerations);
    }

    [Fact]
    public async Task A_wrong_key_is_401_in_the_openai_shape()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions());
        using var client = new EmulatorClient(server, "sk-wrong");
        using var response = await client.PostJsonAsync("v1/images/generations", new { model = "gpt-image-1", prompt = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await EmulatorClient.JsonAsync(response))["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Injected_faults_use_the_openai_error_shape()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("v1/images/generations", new { model = "gpt-image-1", prompt = "x" }, "429;retry-after-ms=120");
        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await EmulatorClient.JsonAsync(response))["error"]!["type"]!.GetValue<string>());
        Assert.Equal("120", response.Headers.GetValues("retry-after-ms").Single());
    }

    private static MultipartFormDataContent EditForm(string model, params (string Field, byte[] Bytes, string Name)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(model), "model" }, { new StringContent("pastel colours"), "prompt" } };
        foreach (var (field, bytes, name) in files)
        {
            form.Add(new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, field, name);
        }
        return form;
    }

    [Fact]
    public async Task Edit_takes_several_images_and_a_matching_mask_in_multipart()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        await using var _ = server;
        using var __ = client;
        using var form = EditForm("gpt-image-1", ("image[]", Square, "a.png"), ("image[]", Wide, "b.png"), ("mask", Square, "mask.png"));
        form.Add(new StringContent("high"), "input_fidelity");
        using var response = await client.Http.PostAsync("v1/images/edits", form);
        var json = await EmulatorClient.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        Assert.NotNull(json["data"]![0]!["b64_json"]);
        Assert.Equal(1, server.Stats.ImageEdits);
    }

    [Theory]
    [InlineData("mask-size")]
    [InlineData("no-image")]
    [InlineData("not-an-image")]
    [InlineData("seventeen")]
    [InlineData("fidelity-on-aiml")]
    public async Task Invalid_edits_are_400(string kind)
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        await using var _ = server;
        using var __ = client;
        using var form = kind switch
        {
            "mask-size" => EditForm("openai/gpt-image-1", ("image", Square, "a.png"), ("mask", Wide, "m.png")),
            "no-image" => EditForm("openai/gpt-image-1"),
            "not-an-image" => EditForm("openai/gpt-image-1", ("image", "hello"u8.ToArray(), "a.png")),
            "seventeen" => EditForm("gpt-image-1", Enumerable.Range(0, 17).Select(i => ("image[]", Square, $"{i}.png")).ToArray()),
            _ => EditForm("openai/gpt-image-1", ("image", Square, "a.png")),
        };
        if (kind == "fidelity-on-aiml") { form.Add(new StringContent("high"), "input_fidelity"); }
        using var response = await client.Http.PostAsync("v1/images/edits", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await EmulatorClient.JsonAsync(response))["error"]!["message"]);
        Assert.Equal(0, server.Stats.ImageEdits);
    }
}
