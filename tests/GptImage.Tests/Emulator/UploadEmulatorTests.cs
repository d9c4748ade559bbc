using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GptImage.Emulator;

namespace GptImage.Tests.Emulator;

public sealed class UploadEmulatorTests
{
    private static readonly byte[] Image = Png.Create(64, 48, 3, ImageContent.Pattern);

    [Fact]
    public async Task Two_step_upload_hands_out_a_put_url_whose_bytes_are_then_served_at_download_url()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var created = await client.PostJsonAsync("api/v3/media/uploads", new { filename = "shot 1.png", size = Image.Length, content_type = "image/png" });
        var data = (await EmulatorClient.JsonAsync(created))["data"]!;
        Assert.Equal("PUT", data["upload"]!["method"]!.GetValue<string>());
        Assert.Equal("image/png", data["upload"]!["headers"]!["Content-Type"]!.GetValue<string>());

        using var plain = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, data["upload"]!["url"]!.GetValue<string>()) { Content = new ByteArrayContent(Image) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var putResponse = await plain.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);

        var served = await plain.GetByteArrayAsync(data["download_url"]!.GetValue<string>());
        Assert.Equal(Image, served);
        Assert.Equal((1, 1, 1), (server.Stats.Uploads, server.Stats.UploadPuts, server.Stats.MediaDownloads));

        // The uploaded URL is a valid input for an edit.
        var task = await client.SubmitAsync(new { prompt = "x", image = data["download_url"]!.GetValue<string>() }, "openai/gpt-image-1");
        Assert.Equal("completed", (await client.WaitFinalAsync(task["id"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_put_is_refused_when_it_carries_an_authorization_header_or_the_wrong_size()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var created = await client.PostJsonAsync("api/v3/media/uploads", new { filename = "a.png", size = Image.Length, content_type = "image/png" });
        var url = (await EmulatorClient.JsonAsync(created))["data"]!["upload"]!["url"]!.GetValue<string>();

        using var withAuth = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(Image) };
        withAuth.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var authResponse = await client.Http.SendAsync(withAuth); // client.Http sends the key by default
        Assert.Equal(HttpStatusCode.BadRequest, authResponse.StatusCode);

        using var plain = new HttpClient();
        using var shortPut = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(Image[..10]) };
        shortPut.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var shortResponse = await plain.SendAsync(shortPut);
        Assert.Equal(HttpStatusCode.BadRequest, shortResponse.StatusCode);
        Assert.Equal(0, server.Stats.UploadPuts);
    }

    [Fact]
    public async Task A_declared_size_over_20_MB_is_413()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var response = await client.PostJsonAsync("api/v3/media/uploads", new { filename = "big.png", size = (20 * 1024 * 1024) + 1, content_type = "image/png" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task With_two_step_uploads_disabled_the_endpoint_is_404_and_upload_binary_works()
    {
        var (server, client) = await EmulatorClient.StartAsync(new EmulatorOptions { DisableTwoStepUpload = true });
        await using var _ = server;
        using var __ = client;
        using var disabled = await client.PostJsonAsync("api/v3/media/uploads", new { filename = "a.png", size = Image.Length, content_type = "image/png" });
        Assert.Equal(HttpStatusCode.NotFound, disabled.StatusCode);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(Image) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "file", "a.png" } };
        using var response = await client.Http.PostAsync("api/v3/media/upload/binary", form);
        var data = (await EmulatorClient.JsonAsync(response))["data"]!;
        Assert.Equal(Image.Length, data["size"]!.GetValue<long>());
        Assert.Equal(Image, await client.Http.GetByteArrayAsync(data["download_url"]!.GetValue<string>()));
        Assert.Equal(1, server.Stats.BinaryUploads);
    }

    [Fact]
    public async Task Upload_binary_over_20_MB_is_413_and_without_a_file_400()
    {
        var (server, client) = await EmulatorClient.StartAsync();
        await using var _ = server;
        using var __ = client;
        using var big = new MultipartFormDataContent { { new ByteArrayContent(new byte[(20 * 1024 * 1024) + 1]), "file", "big.png" } };
        using var tooLarge = await client.Http.PostAsync("api/v3/media/upload/binary", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        using var none = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        using var missing = await client.Http.PostAsync("api/v3/media/upload/binary", none);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("file", Encoding.UTF8.GetString(await missing.Content.ReadAsByteArrayAsync()));
    }
}
