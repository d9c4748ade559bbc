using System.Net;
using System.Text;
using GptImage.Emulator;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Client;

namespace GptImage.Tests.Streaming;

/// <summary>Event fields of the wrong kind or out of range: typed errors (or ignored), never an exception of the runtime.</summary>
public sealed class HostileStreamTests
{
    private sealed class Canned(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    [Theory]
    [InlineData("\"created_at\":\"1700000000\",\"partial_image_index\":0")]
    [InlineData("\"created_at\":99999999999999,\"partial_image_index\":0")]
    [InlineData("\"created_at\":-5,\"partial_image_index\":0")]
    [InlineData("\"created_at\":1700000000,\"partial_image_index\":\"0\"")]
    [InlineData("\"created_at\":1700000000,\"partial_image_index\":1e3")]
    public async Task A_partial_image_event_with_a_field_of_the_wrong_kind_ends_in_a_typed_error(string fields)
    {
        var image = Convert.ToBase64String(TestImages.Png(4, 4));
        var body = "data: {\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + image + "\"," + fields + "}\n\n";
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var options = ClientHarness.OptionsFor(h.Server, h.Log);
        options.Provider = ProviderKind.OpenAI;
        using var connection = new GptImageConnection(options, new Canned(body));
        var request = new ImageTemplate { Provider = ProviderKind.OpenAI, Model = "gpt-image-2", PartialImages = 2, PartialImagesTo = h.Save() }.Generate("x");
        var e = await Record.ExceptionAsync(() => connection.CreateClient().SubmitAsync(request, CancellationToken.None));
        Assert.True(e is GptImageException { Kind: GptImageErrorKind.InvalidResponse or GptImageErrorKind.SubmitOutcomeUnknown }, e?.ToString());
    }
}
