using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Client;

/// <summary>
/// A fresh PowerShell session pays for compiling the client's code on its first task: about a tenth of a
/// second before the first submit leaves and some hundredths after its image arrives, which a two-second
/// batch feels. On import, one task is run on a thread-pool thread against canned answers (no network; its
/// image goes to a temporary folder that is removed), so that cost is paid while the user's script goes on.
/// </summary>
internal static class Warmup
{
    private static int _started;

    /// <summary>Starts the warm-up once per process; returns at once.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) { return; }
        _ = Task.Run(RunAsync);
    }

    /// <summary>Submits, waits for and saves one canned task; true when it went through (failures are ignored).</summary>
    internal static async Task<bool> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "GptImage", "warmup-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        try
        {
            var options = new ClientOptions
            {
                BaseUri = new Uri("http://127.0.0.1/"),
                Credential = new ApiCredential("warm-up"),
                MaximumRetryCount = 0,
                PollSchedule = new PollSchedule { FirstDelay = TimeSpan.Zero, MinInterval = TimeSpan.Zero, SpreadFirstDelay = false },
            };
            using var client = new WaveSpeedClient(options, new CannedService());
            var prediction = await client.SubmitAsync(ImageRequest.Generate("warm-up", quality: "low"), CancellationToken.None).ConfigureAwait(false);
            prediction = await client.WaitAsync(prediction, TimeSpan.FromSeconds(30), new SaveOptions { Directory = folder }, CancellationToken.None).ConfigureAwait(false);
            return prediction.Files.Count == 1;
        }
#pragma warning disable CA1031 // a warm-up that fails costs nothing but the time it saves
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
        finally
        {
            try
            {
                if (Directory.Exists(folder)) { Directory.Delete(folder, recursive: true); }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left in the temp folder; nothing depends on it.
            }
        }
    }

    /// <summary>Answers as WaveSpeed does: the submit, a completed result, a 1x1 PNG.</summary>
    private sealed class CannedService : HttpMessageHandler
    {
        private static readonly byte[] Png = Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri?.AbsolutePath ?? string.Empty;
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            if (path.EndsWith(".png", StringComparison.Ordinal))
            {
                response.Content = new ByteArrayContent(Png);
                response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            }
            else
            {
                var done = request.Method == HttpMethod.Get;
                var json = "{\"code\":200,\"message\":\"success\",\"data\":{\"id\":\"warmup\",\"model\":\"openai/gpt-image-1/text-to-image\"," +
                    "\"outputs\":[" + (done ? "\"http://127.0.0.1/outputs/warmup/0.png\"" : string.Empty) + "]," +
                    "\"urls\":{\"get\":\"http://127.0.0.1/api/v3/predictions/warmup/result\"},\"has_nsfw_contents\":[" + (done ? "false" : string.Empty) + "]," +
                    "\"status\":\"" + (done ? "completed" : "created") + "\",\"created_at\":\"2025-01-01T00:00:00.000Z\",\"error\":\"\",\"timings\":{\"inference\":" + (done ? "1" : "0") + "}}}";
                response.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            return Task.FromResult(response);
        }
    }
}
