using System.Management.Automation;
using GptImage.Commands.Base;

namespace GptImage.Commands;

/// <summary>Gets the account's balance.</summary>
[Cmdlet(VerbsCommon.Get, "GptImageBalance")]
[OutputType(typeof(GptImageBalance))]
public sealed class GetGptImageBalanceCommand : ServiceCmdlet
{
    /// <inheritdoc />
    protected override string? WaveSpeedOnly => "The balance";

    /// <inheritdoc />
    protected override void EndProcessing() => RunToEnd(async ct =>
    {
        var balance = new GptImageBalance { Balance = await WaveSpeed.Account.GetBalanceAsync(ct).ConfigureAwait(false) };
        Runner.Post(sink => sink.WriteObject(balance));
    }, null);
}
