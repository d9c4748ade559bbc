using System.Management.Automation.Runspaces;
using GptImage.Commands.Base;
using GptImage.Http;
using GptImage.Providers;

namespace GptImage.Tests.Cmdlets;

/// <summary>The session a cmdlet uses is its runspace's (the Pester suite shows it through thread jobs).</summary>
public sealed class RunspaceSessionTests
{
    [Fact]
    public void Each_runspace_keeps_its_own_session_and_connection()
    {
        using var first = RunspaceFactory.CreateRunspace(InitialSessionState.Create());
        using var second = RunspaceFactory.CreateRunspace(InitialSessionState.Create());
        first.Open();
        second.Open();
        var saved = Runspace.DefaultRunspace;
        try
        {
            Runspace.DefaultRunspace = first;
            var session = RunspaceSession.Current;
            session.Connect(new ConnectionOptions
            {
                BaseUri = new Uri("http://127.0.0.1:9/"),
                Credential = new ApiCredential("first-key"),
                LearnedTimingsPath = Path.Combine(Path.GetTempPath(), "GptImage-tests-" + Guid.NewGuid().ToString("N"), "timings.json"),
            });
            Assert.Same(session, RunspaceSession.Current);

            Runspace.DefaultRunspace = second;
            Assert.NotSame(session, RunspaceSession.Current);
            Assert.Null(RunspaceSession.Current.Current);
            Assert.False(RunspaceSession.Current.Disconnect());

            Runspace.DefaultRunspace = first;
            Assert.Same(session, RunspaceSession.Current);
            Assert.Equal("first-key", RunspaceSession.Current.Current!.Options.Credential!.AuthorizationParameter);
        }
        finally
        {
            Runspace.DefaultRunspace = saved;
        }
    }
}
