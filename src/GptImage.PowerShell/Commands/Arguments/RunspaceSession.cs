using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using GptImage.Session;

namespace GptImage.Commands.Arguments;

/// <summary>
/// Each runspace has its own <see cref="GptImageSession"/>, as PowerShell users expect of a connection: Connect-GptImage
/// in one runspace (a thread job, <c>ForEach-Object -Parallel</c>, a runbook host with several runspaces) leaves the
/// others' connections alone, and a runspace's session goes when the runspace does.
/// </summary>
internal static class RunspaceSession
{
    private static readonly ConditionalWeakTable<Runspace, GptImageSession> Sessions = new();

    /// <summary>The session of the runspace running the cmdlet (the pipeline thread's).</summary>
    public static GptImageSession Current => Sessions.GetValue(Runspace.DefaultRunspace, _ => new GptImageSession());
}
