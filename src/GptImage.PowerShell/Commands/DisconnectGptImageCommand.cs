using System.Management.Automation;
using GptImage.Commands.Arguments;

namespace GptImage.Commands;

/// <summary>Forgets the session's connection.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "GptImage")]
[OutputType(typeof(void))]
public sealed class DisconnectGptImageCommand : PSCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        WriteVerbose(RunspaceSession.Current.Disconnect() ? "Disconnected." : "There was no connection.");
    }
}
