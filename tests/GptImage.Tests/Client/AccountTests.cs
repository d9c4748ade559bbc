using GptImage.Emulator;
using GptImage.Operations;
using GptImage.Providers;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;
using GptImage.Session;
using GptImage.Tests.Emulator;

namespace GptImage.Tests.Client;

/// <summary>History (filters and paging as the Predictions API documents them), balance, and the cost of every prediction.</summary>
public sealed class AccountTests
{
    [Fact]
    public async Task The_history_is_listed_newest_first_with_the_services_filters()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        using var http = new EmulatorClient(h.Server);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var failed = (await http.SubmitAsync(task: "fail=1200"))["id"]!.GetValue<string>();
        await Task.Delay(20);
        var mini = (await http.SubmitAsync(model: "openai/gpt-image-1-mini/text-to-image"))["id"]!.GetValue<string>();
        await Task.Delay(20);
        var last = (await http.SubmitAsync())["id"]!.GetValue<string>();
        await http.WaitFinalAsync(last);
        await http.WaitFinalAsync(failed);

        var all = await h.Client.Account.ListAsync(new HistoryQuery(), CancellationToken.None);
        Assert.Equal(new[] { last, mini, failed }, all.Select(p => p.Id));
        Assert.Equal("gpt-image-1-mini", all[1].Model);
        Assert.Equal(failed, Assert.Single(await h.Client.Account.ListAsync(new HistoryQuery { Status = "failed" }, CancellationToken.None)).Id);
        Assert.Equal(mini, Assert.Single(await h.Client.Account.ListAsync(new HistoryQuery { Model = "openai/gpt-image-1-mini/text-to-image" }, CancellationToken.None)).Id);
        Assert.Empty(await h.Client.Account.ListAsync(new HistoryQuery { CreatedBefore = before }, CancellationToken.None));
        Assert.Equal(3, (await h.Client.Account.ListAsync(new HistoryQuery { CreatedAfter = before }, CancellationToken.None)).Count);
        Assert.Equal(new[] { mini }, (await h.Client.Account.ListAsync(new HistoryQuery { Skip = 1, First = 1 }, CancellationToken.None)).Select(p => p.Id));
        Assert.Contains(h.Log, l => l.Contains("\"page\":1,\"page_size\":100,\"status\":\"failed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_history_is_paged_100_at_a_time_and_skip_and_first_may_cross_pages()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 10 });
        using var http = new EmulatorClient(h.Server);
        for (var i = 0; i < 103; i++) { await http.SubmitAsync(); }
        var all = await h.Client.Account.ListAsync(new HistoryQuery(), CancellationToken.None);
        Assert.Equal(103, all.Count);
        Assert.Equal(103, all.Select(p => p.Id).Distinct().Count());
        var slice = await h.Client.Account.ListAsync(new HistoryQuery { Skip = 98, First = 4 }, CancellationToken.None);
        Assert.Equal(all.Skip(98).Take(4).Select(p => p.Id), slice.Select(p => p.Id));
        Assert.Contains(h.Log, l => l.Contains("\"page\":2,\"page_size\":100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_history_takes_the_model_names_predictions_show_and_the_created_status()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        using var http = new EmulatorClient(h.Server);
        var generated = (await http.SubmitAsync())["id"]!.GetValue<string>();
        await Task.Delay(20);
        var edited = (await http.SubmitAsync(new { prompt = "pastel", image = "https://img.example/a.png" }, model: "openai/gpt-image-1"))["id"]!.GetValue<string>();
        await Task.Delay(20);
        var mini = (await http.SubmitAsync(model: "openai/gpt-image-1-mini/text-to-image"))["id"]!.GetValue<string>();
        await Task.Delay(20);
        var waiting = (await http.SubmitAsync(task: "latency=600000"))["id"]!.GetValue<string>();
        await http.WaitFinalAsync(mini);

        var byName = await h.Client.Account.ListAsync(new HistoryQuery { Model = "gpt-image-1" }, CancellationToken.None);
        Assert.Equal(new[] { waiting, edited, generated }, byName.Select(p => p.Id));
        Assert.All(byName, p => Assert.Equal("gpt-image-1", p.Model));
        Assert.Equal(new[] { edited }, (await h.Client.Account.ListAsync(new HistoryQuery { Model = "GPT-IMAGE-1", Skip = 1, First = 1 }, CancellationToken.None)).Select(p => p.Id));
        Assert.Equal(new[] { edited }, (await h.Client.Account.ListAsync(new HistoryQuery { Model = "openai/gpt-image-1" }, CancellationToken.None)).Select(p => p.Id));
        Assert.Equal(new[] { mini }, (await h.Client.Account.ListAsync(new HistoryQuery { Model = "gpt-image-1-mini" }, CancellationToken.None)).Select(p => p.Id));

        var created = await h.Client.Account.ListAsync(new HistoryQuery { Status = "created" }, CancellationToken.None);
        Assert.Equal(waiting, Assert.Single(created).Id);
        Assert.Equal("created", created[0].Status);
        Assert.Contains(h.Log, l => l.Contains("\"status\":\"processing\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_history_names_the_model_ids_of_a_name_and_the_retention_window()
    {
        Assert.Equal(new[] { "openai/gpt-image-1/text-to-image", "openai/gpt-image-1" }, new HistoryQuery { Model = "gpt-image-1" }.ServiceModels());
        Assert.Equal(new[] { "openai/gpt-image-1/text-to-image" }, new HistoryQuery { Model = "openai/gpt-image-1/text-to-image" }.ServiceModels());
        Assert.Equal(new string?[] { null }, new HistoryQuery().ServiceModels());
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.Null(new HistoryQuery { CreatedAfter = now.AddDays(-6) }.RetentionWarning(now));
        Assert.Contains("7 days", new HistoryQuery { CreatedAfter = now.AddDays(-8) }.RetentionWarning(now));
        Assert.Contains("7 days", new HistoryQuery { CreatedBefore = now.AddDays(-9) }.RetentionWarning(now));
        Assert.Null(new HistoryQuery { First = 3 }.ShortfallWarning(3));
        Assert.Contains("7 days", new HistoryQuery { First = 3 }.ShortfallWarning(2));
        Assert.Contains("7 days", new HistoryQuery { Skip = 5 }.ShortfallWarning(0));
        Assert.Null(new HistoryQuery { Skip = 5 }.ShortfallWarning(1));
    }

    [Fact]
    public async Task Asking_for_more_history_than_the_service_keeps_warns_of_the_retention_window()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        using var http = new EmulatorClient(h.Server);
        await http.SubmitAsync();
        var warnings = new List<string>();
        Assert.Single(await h.Client.Account.ListAsync(new HistoryQuery { CreatedAfter = DateTimeOffset.UtcNow.AddDays(-30), First = 1 }, warnings.Add, CancellationToken.None));
        Assert.Contains("7 days", Assert.Single(warnings));
        warnings.Clear();
        Assert.Empty(await h.Client.Account.ListAsync(new HistoryQuery { Skip = 10 }, warnings.Add, CancellationToken.None));
        Assert.Contains("7 days", Assert.Single(warnings));
    }

    [Fact]
    public void History_filters_the_service_does_not_take_are_refused_before_sending()
    {
        Assert.Equal("Status", Assert.Throws<GptImageException>(new HistoryQuery { Status = "queued" }.Validate).ParameterName);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("CreatedAfter", Assert.Throws<GptImageException>(new HistoryQuery { CreatedAfter = now, CreatedBefore = now }.Validate).ParameterName);
        Assert.Equal("""{"page":3,"page_size":100,"model":"m","status":"completed","created_after":"2026-01-02T03:04:05.000Z"}""",
            new HistoryQuery { Model = "m", Status = "completed", CreatedAfter = new DateTimeOffset(2026, 1, 2, 4, 4, 5, TimeSpan.FromHours(1)) }.RequestBody(3, 100));
    }

    [Fact]
    public async Task The_emulator_refuses_history_requests_the_page_does_not_allow()
    {
        await using var h = await ClientHarness.StartAsync();
        using var http = new EmulatorClient(h.Server);
        foreach (var body in new[] { """{"page_size":10}""", """{"page":1,"page_size":101}""", """{"page":1,"page_size":10,"status":"created"}""", """{"page":1,"page_size":10,"limit":5}""" })
        {
            using var response = await http.PostJsonAsync("api/v3/predictions", body);
            Assert.Equal(400, (int)response.StatusCode);
        }
    }

    [Theory]
    [InlineData(ProviderKind.AimlApi)]
    [InlineData(ProviderKind.OpenAI)]
    public void WaveSpeed_only_features_are_refused_elsewhere_as_NotSupported_naming_WaveSpeed(ProviderKind provider)
    {
        var session = new GptImage.Session.GptImageSession();
        CallSettings Balance(ProviderKind p) => new() { Provider = p, RequireKey = false, WaveSpeedOnly = "The balance" };
        Assert.Equal(ProviderKind.WaveSpeed, session.Resolve(Balance(ProviderKind.WaveSpeed)).Kind);
        var e = Assert.Throws<GptImageException>(() => session.Resolve(Balance(provider)));
        Assert.Equal("GptImage.NotSupported", e.ErrorId);
        Assert.Contains("WaveSpeed", e.Message, StringComparison.Ordinal);
        Assert.Contains(provider.ToString(), e.Message, StringComparison.Ordinal);
        var info = GptImage.Operations.ErrorInfo.Of(e, null);
        Assert.Equal("InvalidOperation", info.Category);
        Assert.Contains("-Provider WaveSpeed", info.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_balance_is_read_and_a_submit_lowers_it_by_the_estimate_on_the_prediction()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { Balance = 10m });
        Assert.Equal(10m, await h.Client.Account.GetBalanceAsync(CancellationToken.None));
        var p = await h.Client.SubmitAsync(new ImageTemplate { Size = "1536x1024", Quality = "high" }.Generate("x"), CancellationToken.None);
        Assert.Equal(0.25m, p.Usd);
        Assert.StartsWith("estimate:", p.UsdSource, StringComparison.Ordinal);
        Assert.Equal(10m - p.Usd, await h.Client.Account.GetBalanceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Every_provider_puts_a_cost_on_its_predictions_reported_where_given_else_estimated()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 20 });
        var wave = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate("x"), CancellationToken.None),
            TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal(0.011m, wave.Usd);
        var byId = await h.Client.GetAsync(wave.Id, CancellationToken.None);
        Assert.Equal(0.042m, byId.Usd);
        Assert.Contains("1024x1024, medium", byId.UsdSource, StringComparison.Ordinal);
        Assert.Null((await h.Client.SubmitAsync(new ImageTemplate { Model = "gpt-image-1.5" }.Generate("x"), CancellationToken.None)).Usd);

        foreach (var provider in new[] { ProviderKind.AimlApi, ProviderKind.OpenAI })
        {
            var options = ClientHarness.OptionsFor(h.Server);
            options.Provider = provider;
            using var connection = new GptImageConnection(options);
            var p = await connection.CreateClient().SubmitAsync(new ImageTemplate { Quality = "high", Provider = provider, Output = new ImageOutputOptions { Count = 1 } }.Generate("x"), CancellationToken.None);
            if (provider == ProviderKind.AimlApi)
            {
                Assert.Equal((0.042m, "reported by AimlApi"), (p.Usd, p.UsdSource));
            }
            else
            {
                Assert.Equal(0.167m, p.Usd);
                Assert.StartsWith("estimate: published price of gpt-image-1 at 1024x1024, high", p.UsdSource, StringComparison.Ordinal);
            }
        }
    }
}
