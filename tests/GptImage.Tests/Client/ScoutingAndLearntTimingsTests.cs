using GptImage.Emulator;
using GptImage.Polling;
using GptImage.Providers.WaveSpeed;
using GptImage.Requests;

namespace GptImage.Tests.Client;

[Collection(QueryCounts.Name)]
public sealed class ScoutingAndLearntTimingsTests : IDisposable
{
    private static readonly PollSchedule Schedule = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-timings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Before_the_expected_end_only_the_scout_looks_coarsely_the_others_look_just_after_it()
    {
        var state = new PollState { Waited = TimeSpan.Zero, Running = TimeSpan.Zero, Expected = S(2) };
        Assert.Equal(S(1), PollDelays.NextDelay(Schedule, state with { Scout = true }));
        Assert.Equal(TimeSpan.FromMilliseconds(2003), PollDelays.NextDelay(Schedule, state with { Scout = false }));
    }

    [Fact]
    public void Past_the_expected_end_the_scout_looks_often_and_the_others_keep_to_the_schedule()
    {
        var state = new PollState { Waited = S(2.1), Running = S(2.1), Expected = S(2), Queries = 1 };
        Assert.Equal(TimeSpan.FromMilliseconds(100), PollDelays.NextDelay(Schedule, state with { Scout = true }));
        Assert.Equal(Schedule.NextDelay(S(2.1)), PollDelays.NextDelay(Schedule, state with { Scout = false }));
    }

    [Fact]
    public void A_task_first_waited_on_after_its_expected_end_is_looked_at_at_once()
    {
        var state = new PollState { Waited = TimeSpan.Zero, Running = S(5), Expected = S(2), Scout = false };
        Assert.Equal(TimeSpan.Zero, PollDelays.NextDelay(Schedule, state));
        Assert.Equal(Schedule.NextDelay(S(1)), PollDelays.NextDelay(Schedule, state with { Waited = S(1), Queries = 1 }));
    }

    [Fact]
    public void A_sibling_seen_ending_makes_a_task_look_once_it_has_run_as_long()
    {
        var state = new PollState { Waited = S(1.9), Running = S(1.9), Expected = S(3), Scout = false, SiblingEnded = S(2) };
        Assert.Equal(TimeSpan.FromMilliseconds(103), PollDelays.NextDelay(Schedule, state));
        Assert.Equal(TimeSpan.Zero, PollDelays.NextDelay(Schedule, state with { Running = S(2.05), Waited = S(2.05) }));
    }

    [Fact]
    public void Without_an_estimate_a_task_that_is_not_the_scout_looks_at_most_once_per_average_interval()
    {
        var state = new PollState { Waited = S(1), Running = S(1), Queries = 1 };
        Assert.Equal(Schedule.NextDelay(S(1)), PollDelays.NextDelay(Schedule, state with { Scout = true, Queries = 0 }));
        Assert.Equal(Schedule.AverageInterval, PollDelays.NextDelay(Schedule, state with { Scout = false, Queries = 0 }));
        Assert.Equal(S(1), Schedule.AverageInterval);
    }

    [Fact]
    public void No_task_queries_more_than_once_per_average_interval_over_its_wait_after_the_first_query()
    {
        // The scout 0.2 s past its expected end would look again in 0.1 s, but has made 3 queries in 2.2 s.
        var state = new PollState { Waited = S(2.2), Running = S(2.2), Expected = S(2), Scout = true, Queries = 3 };
        Assert.Equal(TimeSpan.FromMilliseconds(800), PollDelays.NextDelay(Schedule, state));
        Assert.Equal(TimeSpan.FromMilliseconds(100), PollDelays.NextDelay(Schedule, state with { Queries = 2 }));
        var fast = new PollSchedule { MinInterval = TimeSpan.FromMilliseconds(20) };
        Assert.Equal(TimeSpan.FromMilliseconds(40), fast.AverageInterval);
        Assert.Equal(S(3), new PollSchedule { MinAverageInterval = S(3) }.AverageInterval);
    }

    [Fact]
    public void The_scout_is_the_earliest_started_waiter_of_its_kind_and_its_leaving_hands_over_and_wakes_the_others()
    {
        var estimator = new LatencyEstimator();
        using var second = estimator.Join("k", started: 200, out var secondIsScout);
        var first = estimator.Join("k", started: 100, out var firstIsScout);
        using var other = estimator.Join("other", started: 300, out var otherIsScout);
        Assert.True(firstIsScout());
        Assert.False(secondIsScout());
        Assert.True(otherIsScout());
        var changed = estimator.Changed;
        first.Dispose();
        Assert.True(changed.IsCompleted);
        Assert.True(secondIsScout());
    }

    [Fact]
    public void A_batch_ending_together_wakes_the_waiters_once_and_each_end_is_the_kinds_last()
    {
        var estimator = new LatencyEstimator();
        var changed = estimator.Changed;
        estimator.Observe("k", S(2));
        Assert.True(changed.IsCompleted);
        changed = estimator.Changed;
        estimator.Observe("k", S(1.9)); // siblings ending with it: the median stays (2 s), nobody is woken again
        estimator.Observe("k", S(3));
        Assert.False(changed.IsCompleted);
        Assert.Equal(S(3), estimator.LastEnd("k")!.Value.Duration);
        estimator.Observe("k", S(3)); // the median moves (2 -> 3 s): waiters recompute
        Assert.True(changed.IsCompleted);
        Assert.Null(estimator.LastEnd("other"));
    }

    [Fact]
    public void A_task_started_earlier_that_joins_later_takes_the_scouting_and_wakes_the_one_it_replaces()
    {
        var estimator = new LatencyEstimator();
        using var later = estimator.Join("k", started: 200, out var laterIsScout);
        var changed = estimator.Changed;
        using var sameTime = estimator.Join("k", started: 200, out _);
        Assert.False(changed.IsCompleted);
        using var earlier = estimator.Join("k", started: 100, out var earlierIsScout);
        Assert.True(changed.IsCompleted);
        Assert.True(earlierIsScout());
        Assert.False(laterIsScout());
    }

    [Fact]
    public void The_scout_is_handed_to_the_earliest_remaining_waiter()
    {
        var estimator = new LatencyEstimator();
        var a = estimator.Join("k", started: 100, out var aIsScout);
        using var c = estimator.Join("k", started: 300, out var cIsScout);
        using var b = estimator.Join("k", started: 200, out var bIsScout);
        Assert.True(aIsScout());
        Assert.True(estimator.IsWaitedOn("k"));
        a.Dispose();
        Assert.True(bIsScout());
        Assert.False(cIsScout());
        b.Dispose();
        Assert.True(cIsScout());
        c.Dispose();
        Assert.False(estimator.IsWaitedOn("k"));
    }

    [Fact]
    public void Kinds_differ_by_service_model_size_and_quality()
    {
        var a = new Uri("https://api.wavespeed.ai/");
        var keys = new[]
        {
            LatencyEstimator.KeyOf(a, "m", "1024x1024", "low"),
            LatencyEstimator.KeyOf(a, "m", "1536x1024", "low"),
            LatencyEstimator.KeyOf(a, "m", "1024x1024", "high"),
            LatencyEstimator.KeyOf(a, "n", "1024x1024", "low"),
            LatencyEstimator.KeyOf(new Uri("http://127.0.0.1:5000/"), "m", "1024x1024", "low"),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Null(LatencyEstimator.KeyOf(a, null, "1024x1024", "low"));
    }

    [Fact]
    public void Learnt_timings_are_kept_for_the_next_session_and_other_sessions_kinds_are_not_lost()
    {
        var path = Path.Combine(_folder, "GptImage", "timings.json");
        var one = new LatencyEstimator(path);
        one.Observe("a", S(2));
        one.Save();
        var two = new LatencyEstimator(path);
        Assert.Equal(S(2), two.Estimate("a"));
        var three = new LatencyEstimator(path);
        two.Observe("b", S(5));
        two.Save();
        Assert.Equal(S(5), three.Estimate("b"));
        three.Observe("a", S(3));
        three.Observe("a", S(3));
        three.Save();
        var four = new LatencyEstimator(path);
        Assert.Equal((S(3), S(5)), (four.Estimate("a"), four.Estimate("b")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void A_malformed_or_unreadable_timings_file_leaves_the_session_blind_but_working()
    {
        var path = Path.Combine(_folder, "timings.json");
        File.WriteAllText(path, "{ not json");
        var estimator = new LatencyEstimator(path);
        Assert.Null(estimator.Estimate("a"));
        estimator.Observe("a", S(2));
        estimator.Save();
        Assert.Equal(S(2), new LatencyEstimator(path).Estimate("a"));
        File.WriteAllText(path, """{"version":1,"durationsMs":{"a":[-5,"x",1e12],"b":"no"}}""");
        Assert.Null(new LatencyEstimator(path).Estimate("a"));
        Assert.Null(new LatencyEstimator(path).Estimate("b"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(40)]
    public async Task A_warm_batch_scouts_one_task_and_the_rest_look_once_even_when_its_submits_spread_out(int gapMs)
    {
        var path = Path.Combine(_folder, "timings.json");
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 1500 });
        var options = ClientHarness.OptionsFor(server);
        options.PollSchedule = new PollSchedule();
        options.LearnedTimingsPath = path;
        using (var ownedWarmUp = new OwnedClient(options.Clone()))
        {
            var warmUp = ownedWarmUp.Client;
            await warmUp.WaitAndSaveAsync(await warmUp.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate("warm up"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
        }
        // A new connection (a new session) reads what the first learnt: its first batch is not blind.
        using var ownedClient = new OwnedClient(options.Clone());
        var client = ownedClient.Client;
        var before = server.Stats.ResultQueries;
        // Submits a few milliseconds apart (a pipeline feeding the batch, a busy machine) end a few milliseconds apart:
        // a wake-up near a task's end, a timer firing early or a scout joining late must not make a look before it.
        var batch = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await Task.Delay(gapMs * i);
            return await client.WaitAndSaveAsync(await client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate($"p{i}"), CancellationToken.None),
                TimeSpan.FromSeconds(10), null, CancellationToken.None);
        }));
        Assert.All(batch, p => Assert.Equal(PredictionStatus.Completed, p.Status));
        // The scout looks at 1 s (unless a busy machine wakes it late) and just after 1.5 s; the nine others just after 1.5 s.
        Assert.InRange(server.Stats.ResultQueries - before, 10, 11);
    }

    [Fact]
    public void Blind_first_looks_are_spread_for_every_task_so_a_batch_looks_at_staggered_moments()
    {
        var blind = new PollState { Waited = TimeSpan.Zero, Running = TimeSpan.Zero, Scout = false };
        // The others: one second, spread over 0.5-1.5 s (and a second apart after that, keeping their phases).
        Assert.Equal(TimeSpan.FromMilliseconds(500), PollDelays.NextDelay(Schedule, blind with { FirstLookSpread = 0 }));
        Assert.Equal(TimeSpan.FromMilliseconds(1400), PollDelays.NextDelay(Schedule, blind with { FirstLookSpread = 0.9 }));
        // The scout: the schedule's first delay (0.5 s), spread over 0.25-0.75 s.
        Assert.Equal(TimeSpan.FromMilliseconds(250), PollDelays.NextDelay(Schedule, blind with { Scout = true, FirstLookSpread = 0 }));
        // Not spread: a later look, a task whose kind is known, or a schedule that asks for none.
        Assert.Equal(S(1), PollDelays.NextDelay(Schedule, blind));
        Assert.Equal(TimeSpan.FromMilliseconds(2003), PollDelays.NextDelay(Schedule, blind with { Expected = S(2), FirstLookSpread = 0 }));
        Assert.Equal(S(1), PollDelays.NextDelay(new PollSchedule { SpreadFirstDelay = false }, blind with { FirstLookSpread = 0 }));
    }

    [Fact]
    public async Task A_blind_batch_keeps_to_about_one_query_a_second_per_task()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InferenceLatencyMs = 1500 });
        var options = ClientHarness.OptionsFor(server);
        options.PollSchedule = new PollSchedule();
        using var ownedClient = new OwnedClient(options);
        var client = ownedClient.Client;
        var batch = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
            await client.WaitAndSaveAsync(await client.SubmitAsync(new ImageTemplate { Quality = "low" }.Generate($"p{i}"), CancellationToken.None), TimeSpan.FromSeconds(20), null, CancellationToken.None)));
        Assert.All(batch, p => Assert.Equal(PredictionStatus.Completed, p.Status));
        // 3 looks each for a 1.5 s task, give or take the scout's and a wake-up look; a 0.5 s poll would make 40.
        Assert.True(server.Stats.ResultQueries <= 35, $"{server.Stats.ResultQueries} queries");
    }
}
