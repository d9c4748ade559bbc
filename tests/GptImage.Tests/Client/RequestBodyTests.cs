using System.Management.Automation;
using System.Net.Http.Headers;
using GptImage.Commands.Base;
using GptImage.Emulator;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Client;

/// <summary>Request bodies on -Debug: written once per request, the key, tokens and base64 elided, long text cut, files listed not read.</summary>
public sealed class RequestBodyTests
{
    private static readonly string Png64 = Convert.ToBase64String(new byte[300]);

    [Fact]
    public async Task A_json_body_is_shown_with_secrets_base64_and_url_queries_elided_and_long_text_cut()
    {
        var prompt = new string('p', 500);
        var json = $$"""{"prompt":"{{prompt}}","api_key":"sk-1","access_token":"t","image":"data:image/png;base64,{{Png64}}","b64_json":"{{Png64}}","url":"https://u.example/a.png?sig=s","size":"1024*1024","n":2,"ok":true}""";
        var shown = await RequestBodies.DescribeAsync(ApiTransport.JsonContent(json));
        var cut = new string('p', RequestBodies.MaxText) + "… (500 characters)";
        Assert.Equal($$"""{"prompt":"{{cut}}","api_key":"<redacted>","access_token":"<redacted>","image":"<base64, 300 bytes>","b64_json":"<base64, 300 bytes>","url":"https://u.example/a.png?…","size":"1024*1024","n":2,"ok":true}""", shown);
        Assert.Equal("b64_json", RequestBodies.Elide("response_format", "b64_json"));
        Assert.Equal("<base64, 299 bytes>", RequestBodies.Elide(null, Png64[..^4] + "AAA="));
    }

    [Fact]
    public async Task A_multipart_body_lists_its_fields_and_file_parts_never_the_bytes()
    {
        using var file = new ByteArrayContent(new byte[1234]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var form = new MultipartFormDataContent { { new StringContent("pastel"), "prompt" }, { file, "image[]", "shot.png" } };
        Assert.Equal("multipart/form-data: prompt=pastel; image[]: file 'shot.png', 1,234 bytes, image/png", await RequestBodies.DescribeAsync(form));
        using var upload = new ByteArrayContent(new byte[10]);
        Assert.Equal("application/octet-stream, 10 bytes (not shown)", await RequestBodies.DescribeAsync(upload));
        Assert.Null(await RequestBodies.DescribeAsync(null));
    }

    [Fact]
    public async Task Each_submit_body_goes_to_debug_once_with_the_key_redacted_and_nothing_without_a_listener()
    {
        var debug = new List<string>();
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 }, o => o.Debug = line => { lock (debug) { debug.Add(line); } });
        var key = h.Server.Options.ApiKey;
        var prediction = await h.Client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate("a fox " + key + " " + new string('x', 400)), CancellationToken.None);
        await h.Client.WaitAsync(prediction, null, CancellationToken.None);
        var line = Assert.Single(debug);
        Assert.StartsWith("POST ", line);
        Assert.Contains("/api/v3/openai/gpt-image-1/text-to-image body: {\"prompt\":\"a fox *** xxx", line);
        Assert.Contains("… (", line);
        Assert.Contains("\"quality\":\"low\"", line);
        Assert.DoesNotContain(key, line);
        Assert.DoesNotContain(new string('x', 300), line);
    }

    [Fact]
    public async Task A_key_where_a_prompt_is_cut_is_redacted_before_the_cut()
    {
        var credential = new ApiCredential("sk-abcdefghijklmnopqrstuvwxyz012345");
        var prompt = new string('a', RequestBodies.MaxText - 5) + " sk-abcdefghijklmnopqrstuvwxyz012345 and more";
        var shown = await RequestBodies.DescribeAsync(ApiTransport.JsonContent($$"""{"prompt":"{{prompt}}"}"""), credential.Redact);
        Assert.DoesNotContain("sk-", shown);
        Assert.Contains(" ***", shown);
    }

    [Fact]
    public async Task An_images_api_edit_shows_its_form_and_the_files_by_name_and_size()
    {
        var debug = new List<string>();
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 0 });
        var options = ClientHarness.OptionsFor(h.Server);
        options.Provider = ProviderKind.OpenAI;
        options.Debug = line => { lock (debug) { debug.Add(line); } };
        using var connection = new GptImageConnection(options);
        var client = connection.CreateClient();
        var path = h.WriteImage("shot.png", 32, 32);
        await client.SubmitAsync(new ImageTemplate { Prompt = "pastel", Provider = ProviderKind.OpenAI }.Edit([ImageSource.FromFile(path)]), CancellationToken.None);
        var line = Assert.Single(debug);
        Assert.Contains("body: multipart/form-data: model=gpt-image-1; prompt=pastel;", line);
        Assert.Contains($"image: file 'shot.png', {new FileInfo(path).Length:N0} bytes, image/png", line);
    }

    [Theory]
    [InlineData(true, ActionPreference.Inquire, ActionPreference.Continue)] // -Debug on a compiled cmdlet: Inquire, one prompt per record
    [InlineData(true, ActionPreference.Continue, null)]
    [InlineData(false, ActionPreference.Inquire, null)] // a $DebugPreference the user set is respected
    public void Minus_debug_writes_debug_records_as_continue(bool debugGiven, ActionPreference preference, ActionPreference? written) =>
        Assert.Equal(written, GptImageCmdlet.PreferenceFor(debugGiven, preference));
}
