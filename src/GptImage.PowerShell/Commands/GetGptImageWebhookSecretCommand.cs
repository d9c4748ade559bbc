using System.Management.Automation;
using System.Security;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;

namespace GptImage.Commands;

/// <summary>Gets the secret that signs the account's webhooks.</summary>
[Cmdlet(VerbsCommon.Get, "GptImageWebhookSecret")]
[OutputType(typeof(SecureString), typeof(string))]
public sealed class GetGptImageWebhookSecretCommand : ServiceCmdlet
{
    /// <summary>Write the secret as a plain string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <inheritdoc />
    protected override string? WaveSpeedOnly => "The webhook secret";

    /// <inheritdoc />
    protected override void EndProcessing() => RunToEnd(async ct =>
    {
        var secret = await WaveSpeed.Account.GetWebhookSecretAsync(ct).ConfigureAwait(false);
        Runner.Post(sink => sink.WriteObject(AsPlainText ? secret : SecureStringTransformationAttribute.ToSecureString(secret)));
    }, null);
}
