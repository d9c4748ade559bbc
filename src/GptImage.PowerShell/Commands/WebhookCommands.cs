using System;
using System.Management.Automation;
using System.Security;
using GptImage.Client;
using GptImage.Commands.Logic;

namespace GptImage.Commands;

/// <summary>
/// <para type="synopsis">Tells whether a webhook delivery really comes from WaveSpeed.</para>
/// <para type="description">Checks the webhook-id, webhook-timestamp and webhook-signature headers of a delivery against its raw body and the account's webhook secret (HMAC-SHA256, compared in constant time), and refuses deliveries older than -MaximumAgeSec (300 s). Writes $true or $false; -Verbose tells why. Takes the request as an Azure Function (Headers, RawBody), an Automation webhook (RequestHeader, RequestBody) or a PowerShell web request (Headers, Content) hands it over.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GptImageWebhookSignature")]
[OutputType(typeof(bool))]
public sealed class TestGptImageWebhookSignatureCommand : GptImageCmdlet
{
    /// <summary>
    /// <para type="description">The request's headers: a hashtable or dictionary (Azure Functions, Invoke-WebRequest), a NameValueCollection (HttpListener) or an object with a property per header (Automation's RequestHeader). Names are matched without regard to case.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Headers", "RequestHeader")]
    [ValidateNotNull]
    public object Header { get; set; } = null!;

    /// <summary>
    /// <para type="description">The raw body exactly as received (a string or bytes); a body parsed and serialized again does not verify.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RequestBody", "Content")]
    [AllowEmptyString]
    public object RawBody { get; set; } = null!;

    /// <summary>
    /// <para type="description">The webhook secret (whsec_..., from Get-GptImageWebhookSecret), as a SecureString or a string.</para>
    /// </summary>
    [Parameter(Mandatory = true)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString Secret { get; set; } = null!;

    /// <summary>
    /// <para type="description">The oldest delivery accepted, in seconds (default 300, as WaveSpeed signs them); older ones are refused as replays.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int MaximumAgeSec { get; set; } = 300;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var verification = WebhookSignature.Verify(PowerShellValues.ToHeaders(Header), PowerShellValues.ToBytes(RawBody) ?? Array.Empty<byte>(),
            ApiCredential.FromSecureString(Secret).AuthorizationParameter, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(MaximumAgeSec));
        WriteVerbose(verification.Reason);
        WriteObject(verification.IsValid);
    }
}

/// <summary>
/// <para type="synopsis">Turns a webhook delivery into a prediction.</para>
/// <para type="description">Reads the body WaveSpeed posts to a -WebhookUri (the task's data, with its input) into the same GptImage.Prediction the other cmdlets write, so Save-GptImage saves its outputs. Check the delivery with Test-GptImageWebhookSignature first.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "GptImageWebhook")]
[OutputType(typeof(Prediction))]
public sealed class ConvertFromGptImageWebhookCommand : GptImageCmdlet
{
    /// <summary>
    /// <para type="description">The raw body as received: a string from the pipeline, or the RawBody (Azure Functions), RequestBody (Automation) or Content property of a request.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RequestBody", "Content")]
    [ValidateNotNullOrEmpty]
    public string RawBody { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            WriteObject(WaveSpeedClient.FromWebhook(RawBody));
        }
        catch (GptImageException e)
        {
            WriteError(ToRecord(ErrorMapping.ToErrorInfo(e, RawBody)));
        }
    }
}
