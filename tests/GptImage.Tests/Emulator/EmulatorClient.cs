using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GptImage.Emulator;

namespace GptImage.Tests.Emulator;

/// <summary>A plain HttpClient pointed at an emulator, with the small helpers the emulator tests share.</summary>
internal sealed class EmulatorClient : IDisposable
{
    public EmulatorClient(EmulatorServer server, string? key = null)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? server.Options.ApiKey);
    }

    public EmulatorServer Server { get; }
    public HttpClient Http { get; }

    public static async Task<(EmulatorServer Server, EmulatorClient Client)> StartAsync(EmulatorOptions? options = null)
    {
        var server = await EmulatorServer.StartAsync(options ?? new EmulatorOptions { InferenceLatencyMs = 100 });
        return (server, new EmulatorClient(server));
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body, string? fault = null, string? task = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body is string s ? s : JsonSerializerHelper.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (fault is not null) { request.Headers.Add("X-Emulator-Fault", fault); }
        if (task is not null) { request.Headers.Add("X-Emulator-Task", task); }
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? fault = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (fault is not null) { request.Headers.Add("X-Emulator-Fault", fault); }
        return Http.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (JsonObject)(await response.Content.ReadFromJsonAsync<JsonNode>())!;

    /// <summary>Submits a text-to-image task and returns its data object.</summary>
    public async Task<JsonObject> SubmitAsync(object? body = null, string model = "openai/gpt-image-1/text-to-image", string? task = null)
    {
        using var response = await PostJsonAsync("api/v3/" + model, body ?? new { prompt = "A T-Rex on a sun lounger" }, task: task);
        var json = await JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["data"]!.AsObject();
    }

    /// <summary>Polls the result until its status is final, with a deadline.</summary>
    public async Task<JsonObject> WaitFinalAsync(string id, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await GetAsync($"api/v3/predictions/{id}/result");
            var data = (await JsonAsync(response))["data"]!.AsObject();
            var status = data["status"]!.GetValue<string>();
            if (status is "completed" or "failed") { return data; }
            Assert.True(DateTime.UtcNow < until, $"prediction {id} still {status} at the deadline");
            await Task.Delay(20);
        }
    }

    public void Dispose() => Http.Dispose();
}
