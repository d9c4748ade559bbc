using System.Management.Automation.Runspaces;
using GptImage.Commands.Arguments;
using GptImage.Emulator;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Providers;
using GptImage.Requests;
using GptImage.Session;

namespace GptImage.Tests.Cmdlets;

/// <summary>The session a cmdlet uses is its runspace's (the Pester suite shows it through thread jobs).</summary>
public sealed class RunspaceSessionTests
{
    [Fact]
    public async Task Each_runspace_keeps_its_own_session_and_connection()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { ApiKey = "first-key" });
        using var first = RunspaceFactory.CreateRunspace(InitialSessionState.Create());
        using var second = RunspaceFactory.CreateRunspace(InitialSessionState.Create());
        first.Open();
        second.Open();
        var saved = Runspace.DefaultRunspace;
        IImageApiClient firstClient;
        try
        {
            Runspace.DefaultRunspace = first;
            var session = RunspaceSession.Current;
            session.Connect(new ConnectionOptions
            {
                BaseUri = server.BaseUri,
                Credential = new ApiCredential("first-key"),
                LearnedTimingsPath = Path.Combine(Path.GetTempPath(), "GptImage-tests-" + Guid.NewGuid().ToString("N"), "timings.json"),
            });
            Assert.Same(session, RunspaceSession.Current);

            Runspace.DefaultRunspace = second;
            Assert.NotSame(session, RunspaceSession.Current);
            Assert.False(RunspaceSession.Current.Disconnect());

            Runspace.DefaultRunspace = first;
            Assert.Same(session, RunspaceSession.Current);
            firstClient = RunspaceSession.Current.Resolve(new CallSettings());
        }
        finally
        {
            Runspace.DefaultRunspace = saved;
        }
        // The first runspace's calls still go where it connected, with its key (the emulator refuses any other).
        await firstClient.SubmitAsync(new ImageTemplate().Generate("x"), CancellationToken.None);
        Assert.Equal(1, server.Stats.Submits);
    }
}
