using GptImage.Commands;

namespace GptImage.Tests.Client;

public sealed class WarmupTests
{
    [Fact]
    public async Task The_warm_up_runs_a_whole_task_without_the_network_and_leaves_no_folder()
    {
        var before = WarmupFolders();
        Assert.True(await Warmup.RunAsync());
        Assert.Equal(before, WarmupFolders());
    }

    private static string[] WarmupFolders()
    {
        var root = Path.Combine(Path.GetTempPath(), "GptImage");
        return Directory.Exists(root) ? Directory.GetDirectories(root, "warmup-*") : [];
    }
}
