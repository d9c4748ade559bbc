using System.Diagnostics;
using System.Net;
using GptImage.Commands.Base;
using GptImage.Emulator;
using GptImage.Files;
using GptImage.Http;
using GptImage.Operations;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Cmdlets;

namespace GptImage.Tests.Client;

/// <summary>
/// The client against a service that misbehaves on purpose (the emulator's hostile modes): per case the
/// ErrorId and category, that nothing is sent when it can be known in advance, that nothing is written outside
/// the chosen folder and that no temporary file is left.
/// </summary>
public sealed class HostileServerTests
{
    private const string CanaryKey = "sk-canary-0123456789abcdef0123456789";

    private static EmulatorOptions Fast => new() { InferenceLatencyMs = 20 };

    private static async Task<GptImageException> SaveFailsAsync(string modes, Action<ConnectionOptions>? also = null)
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile(modes, also));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None));
        Assert.Empty(Directory.GetFileSystemEntries(h.Folder));
        return e;
    }

    private static void AssertCategory(string category, GptImageException e) => Assert.Equal(category, GptImage.Commands.Base.ErrorRecords.CategoryOf(e.Kind).ToString());

    [Theory]
    [InlineData("outputs=file")]
    [InlineData("outputs=path")]
    public async Task An_output_that_names_a_local_file_is_refused_and_nothing_is_read(string modes)
    {
        var e = await SaveFailsAsync(modes);
        Assert.Equal(GptImageErrorKind.UnsafeResponse, e.Kind);
        Assert.Equal("GptImage.UnsafeResponse", e.ErrorId);
        AssertCategory("SecurityError", e);
    }

    [Fact]
    public async Task An_Images_API_url_that_names_a_local_file_is_refused_and_nothing_is_read()
    {
        await using var server = await EmulatorServer.StartAsync(Fast);
        var options = ClientHarness.OptionsFor(server);
        options.Provider = ProviderKind.AimlApi;
        ClientHarness.Hostile("outputs=file")(options);
        using var connection = new GptImageConnection(options);
        var provider = connection.CreateClient();
        var e = await Assert.ThrowsAsync<GptImageException>(() => provider.SubmitAsync(new ImageTemplate { Provider = ProviderKind.AimlApi }.Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.UnsafeResponse, e.Kind);
    }

    [Fact]
    public async Task A_prediction_carrying_a_local_file_output_is_not_copied_whatever_its_origin()
    {
        // A prediction made up by hand or brought back with Import-Clixml: outputs are still http(s) only.
        await using var h = await ClientHarness.StartAsync(Fast);
        var forged = new Prediction { Id = "forged", Status = PredictionStatus.Completed, Outputs = new[] { new Uri(HostileServer.LocalFile) } };
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SaveAsync(forged, h.Save(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.UnsafeResponse, e.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(h.Folder));
        Assert.Equal(0, h.Server.Stats.Requests);
    }

    [Theory]
    [InlineData("redirect=file", GptImageErrorKind.UnsafeResponse, "SecurityError")]
    [InlineData("redirect=ftp", GptImageErrorKind.UnsafeResponse, "SecurityError")]
    [InlineData("redirect=loop", GptImageErrorKind.DownloadFailed, "ReadError")]
    public async Task A_download_redirected_to_another_scheme_or_in_a_loop_fails_with_its_own_error(string modes, GptImageErrorKind kind, string category)
    {
        var e = await SaveFailsAsync(modes);
        Assert.Equal(kind, e.Kind);
        AssertCategory(category, e);
        Assert.NotNull(e.Prediction);
    }

    [Fact]
    public async Task A_download_redirected_to_another_http_host_is_followed()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("redirect=host"));
        var done = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None);
        Assert.True(Assert.Single(done.Files).Exists);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/../../balance")]
    [InlineData("a\\b")]
    [InlineData("%2e%2e")]
    public async Task An_id_that_is_not_one_path_segment_is_refused_before_anything_is_sent(string id)
    {
        await using var h = await ClientHarness.StartAsync(Fast);
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.GetAsync(id, CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidParameter, e.Kind);
        Assert.Equal("Id", e.ParameterName);
        Assert.Equal(0, h.Server.Stats.Requests);
    }

    [Fact]
    public async Task A_dot_segment_id_answered_by_the_service_is_never_put_in_a_url()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("id=.."));
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.UnsafeResponse, e.Kind);
        Assert.Equal(1, h.Server.Stats.Requests);
    }

    [Fact]
    public async Task Control_characters_of_a_task_error_reach_neither_the_prediction_nor_the_message()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("error=control"));
        var done = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Failed, done.Status);
        Assert.Contains("task failed", done.Error);
        Assert.DoesNotContain(done.Error!, char.IsControl);
        Assert.DoesNotContain(done.ToFailure().Message, char.IsControl);
        Assert.DoesNotContain(done.RawResponse!, char.IsControl);
    }

    [Fact]
    public async Task An_error_body_that_never_ends_is_read_no_further_than_what_is_kept()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("error-body=endless"));
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.ServiceUnavailable, e.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.InRange(e.Message.Length, 100, 17 * 1024);
        Assert.Equal(1, h.Server.Stats.HostileRequests);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("cut")]
    public async Task A_key_echoed_in_an_error_is_redacted_whole_even_across_the_16_KB_cut(string echo)
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20, ApiKey = CanaryKey },
            ClientHarness.Hostile("echo-key=" + echo));
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.DoesNotContain(CanaryKey[..5], e.Message);
        Assert.Contains("***", e.Message);
        Assert.InRange(e.Message.Length, 1, 17 * 1024);
        Assert.DoesNotContain(h.Log, l => l.Contains(CanaryKey[..5], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_echoed_json_escaped_is_redacted_from_the_raw_response()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20, ApiKey = CanaryKey },
            ClientHarness.Hostile("echo-key=escaped"));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        Assert.DoesNotContain(@"\u0073\u006b", submitted.RawResponse!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"echo\":\"***\"", submitted.RawResponse!);
    }

    [Fact]
    public async Task An_html_page_answering_a_submit_is_an_unknown_outcome_and_nothing_is_sent_again()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("html"));
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.SubmitOutcomeUnknown, e.Kind);
        AssertCategory("ConnectionError", e);
        Assert.Contains("text/html", e.Message);
        Assert.Equal(1, h.Server.Stats.HostileRequests);
    }

    [Fact]
    public async Task A_redirected_api_request_is_not_followed_and_a_redirected_submit_is_an_unknown_outcome()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("moved"));
        var submit = await Assert.ThrowsAsync<GptImageException>(() => h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.SubmitOutcomeUnknown, submit.Kind);
        var query = await Assert.ThrowsAsync<GptImageException>(() => h.Client.GetAsync("abc", CancellationToken.None));
        Assert.Equal(GptImageErrorKind.InvalidResponse, query.Kind);
        Assert.Contains("/moved/", query.Message);
        Assert.Equal(2, h.Server.Stats.HostileRequests);
    }

    [Fact]
    public async Task A_download_cut_short_without_a_length_is_not_saved_as_an_image()
    {
        var e = await SaveFailsAsync("output=cut", o => o.MaximumRetryCount = 1);
        Assert.Equal(GptImageErrorKind.DownloadFailed, e.Kind);
        Assert.Contains("incomplete", e.Message);
    }

    [Fact]
    public async Task A_download_that_stalls_is_abandoned_and_retried_as_a_transient_fault()
    {
        await using var h = await ClientHarness.StartAsync(Fast, ClientHarness.Hostile("stall=outputs", o =>
        {
            o.StallTimeout = TimeSpan.FromMilliseconds(300);
            o.MaximumRetryCount = 1;
        }));
        var submitted = await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<GptImageException>(() => h.Client.WaitAndSaveAsync(submitted, TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None));
        Assert.Equal(GptImageErrorKind.DownloadFailed, e.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Empty(Directory.GetFileSystemEntries(h.Folder));
    }

    [Theory]
    [InlineData("trickle=outputs")]
    [InlineData("trickle=result")]
    [InlineData("stall=result")]
    public async Task TimeoutSec_bounds_everything_a_call_does_even_a_body_that_trickles_for_ever(string modes)
    {
        await using var h = await CmdletHarness.StartAsync(Fast, ClientHarness.Hostile(modes));
        var operationTemplate = new ImageTemplate();
        var operation = new NewImageOperation(h.Runner, h.Provider, h.Settings(save: true, timeoutSec: 2));
        var watch = Stopwatch.StartNew();
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "x");
            operation.End();
        });
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.Timeout", error.ErrorId);
        Assert.Equal("OperationTimeout", error.Category);
        Assert.Empty(h.TempFiles());
        Assert.Empty(Directory.GetFiles(h.Folder));
    }

    [Fact]
    public async Task A_jpeg_answer_is_not_saved_under_a_png_name_and_the_paid_prediction_is_still_written()
    {
        await using var h = await CmdletHarness.StartAsync(Fast, ClientHarness.Hostile("output=jpeg"));
        var outFile = Path.Combine(h.Folder, "x.png");
        var operationTemplate = new ImageTemplate();
        var operation = new NewImageOperation(h.Runner, h.Provider, new WaitSettings { Save = new SaveOptions { OutFile = outFile } });
        await h.Pipeline(() =>
        {
            operation.Process(operationTemplate, "x");
            operation.End();
        });
        var prediction = Assert.Single(h.Sink.Predictions);
        Assert.Equal(PredictionStatus.Completed, prediction.Status);
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("GptImage.InvalidResponse", error.ErrorId);
        Assert.Same(prediction, error.Target);
        Assert.False(File.Exists(outFile));
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task A_loopback_http_base_uri_never_goes_through_a_proxy()
    {
        // A proxy that would see the key in clear: it must never be asked.
        using var proxy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        var proxyUri = new Uri($"http://127.0.0.1:{((IPEndPoint)proxy.LocalEndpoint).Port}/");
        await using var h = await ClientHarness.StartAsync(Fast, o => o.Proxy = new WebProxy(proxyUri) { BypassProxyOnLocal = false });
        var done = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(20), h.Save(), CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, done.Status);
        Assert.False(proxy.Pending());
    }
}
