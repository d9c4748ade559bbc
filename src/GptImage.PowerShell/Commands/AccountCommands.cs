using System.Management.Automation;
using System.Security;
using GptImage.Commands.Logic;

namespace GptImage.Commands;

/// <summary>
/// <para type="synopsis">Gets the account's balance.</para>
/// <para type="description">Asks WaveSpeed for what is left on the account, in US dollars. Compare it with what a batch will cost (New-GptImage -WhatIf prices each task; every prediction's Usd sums with Measure-Object).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "GptImageBalance")]
[OutputType(typeof(GptImageBalance))]
public sealed class GetGptImageBalanceCommand : ServiceCmdlet
{
    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        RequireWaveSpeed("The balance");
        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => RunToEnd(async ct =>
    {
        var balance = await AccountOperations.GetBalanceAsync(Client, ct).ConfigureAwait(false);
        Runner.Post(sink => sink.WriteObject(balance));
    }, null);
}

/// <summary>
/// <para type="synopsis">Gets the secret that signs the account's webhooks.</para>
/// <para type="description">Asks WaveSpeed for the webhook signing secret (whsec_...), for Test-GptImageWebhookSignature on the receiving side. It is written as a SecureString unless -AsPlainText is given: keep it in a vault or an app setting, not in a script.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "GptImageWebhookSecret")]
[OutputType(typeof(SecureString), typeof(string))]
public sealed class GetGptImageWebhookSecretCommand : ServiceCmdlet
{
    /// <summary>
    /// <para type="description">Write the secret as a plain string instead of a SecureString.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        RequireWaveSpeed("The webhook secret");
        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void EndProcessing() => RunToEnd(async ct =>
    {
        var secret = await AccountOperations.GetWebhookSecretAsync(Client, ct).ConfigureAwait(false);
        Runner.Post(sink => sink.WriteObject(AsPlainText ? secret : SecureStringTransformationAttribute.ToSecureString(secret)));
    }, null);
}
