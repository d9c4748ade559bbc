using GptImage.Emulator;
using GptImage.Polling;
using GptImage.Requests;

namespace GptImage.Tests.Client;

/// <summary>How often a lone task is looked at (moved from WaveSpeedClientTests to run with the other query counts).</summary>
[Collection(QueryCounts.Name)]
public sealed class PollingQueryCountTests
{
    [Fact]
    public async Task Polling_starts_fast_and_backs_off()
    {
        var schedule = new PollSchedule();
        Assert.Equal(TimeSpan.FromMilliseconds(500), schedule.NextDelay(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(500), schedule.NextDelay(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(4), schedule.NextDelay(TimeSpan.FromSeconds(20)));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(TimeSpan.FromMinutes(5)));

        await using var h = await ClientHarness.StartAsync(new EmulatorOptions { InferenceLatencyMs = 1500 }, o => o.PollSchedule = new PollSchedule());
        var done = await h.Client.WaitAndSaveAsync(await h.Client.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None), TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.True(done.IsFinal);
        // Looks at 0.25–0.75 s, then every 0.5 s: 2 to 4 queries for a 1.5 s task (a 100 ms poll would make 15).
        Assert.InRange(h.Server.Stats.ResultQueries, 2, 4);
    }
}
