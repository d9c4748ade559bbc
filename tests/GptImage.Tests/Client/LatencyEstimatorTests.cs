using GptImage.Emulator;
using GptImage.Polling;
using GptImage.Requests;

namespace GptImage.Tests.Client;

public sealed class LatencyEstimatorTests
{
    private static readonly PollSchedule Schedule = new();

    /// <summary>Its kind's scout, once it has looked: how long it has waited and run, and how long its kind takes.</summary>
    private static TimeSpan ScoutDelay(TimeSpan waited, TimeSpan running, TimeSpan? expected) =>
        PollDelays.NextDelay(Schedule, new PollState { Waited = waited, Running = running, Expected = expected, Scout = true, Queries = 1 });

    [Fact]
    public void Without_an_estimate_the_schedule_decides()
    {
        Assert.Equal(Schedule.NextDelay(TimeSpan.FromSeconds(3)), ScoutDelay(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), null));
    }

    [Fact]
    public void Before_the_expected_end_the_next_look_is_just_after_it_with_a_coarse_look_meanwhile()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(103), ScoutDelay(TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(1), ScoutDelay(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(5), ScoutDelay(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void After_the_expected_end_it_looks_often_for_half_the_estimate_then_backs_off()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), ScoutDelay(TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), ScoutDelay(TimeSpan.FromSeconds(1.1), TimeSpan.FromSeconds(1.1), TimeSpan.FromSeconds(1)));
        Assert.Equal(Schedule.NextDelay(TimeSpan.FromSeconds(16)), ScoutDelay(TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_estimate_is_the_median_of_recent_durations_and_changes_wake_waiters()
    {
        var estimator = new LatencyEstimator();
        Assert.Null(estimator.Estimate("m"));
        var changed = estimator.Changed;
        estimator.Observe("m", TimeSpan.FromSeconds(2));
        Assert.True(changed.IsCompleted);
        estimator.Observe("m", TimeSpan.FromSeconds(10));
        estimator.Observe("m", TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), estimator.Estimate("m"));
        Assert.Null(estimator.Estimate("other"));
    }

    [Fact]
    public async Task A_connection_that_has_seen_a_model_finish_polls_its_next_tasks_around_the_expected_end()
    {
        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 3000 },
            o => o.PollSchedule = new PollSchedule());
        var first = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("warm up"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.Equal(PredictionStatus.Completed, first.Status);
        var cold = h.Server.Stats.ResultQueries;

        var batch = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
            await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate($"p{i}"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None)));
        Assert.All(batch, p => Assert.Equal(PredictionStatus.Completed, p.Status));
        var warmPerTask = (h.Server.Stats.ResultQueries - cold) / 10.0;
        Assert.True(warmPerTask < cold, $"warm tasks took {warmPerTask} queries each, the cold one {cold}");
        // Cold: a look every 0.5 s, about 6; warm: a coarse look at 1 s and 2 s, then just after 3 s.
        Assert.True(warmPerTask <= 4, $"warm tasks took {warmPerTask} queries each");
    }
}
