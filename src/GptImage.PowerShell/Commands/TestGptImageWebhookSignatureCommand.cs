using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Providers.WaveSpeed;

namespace GptImage.Commands;

/// <summary>Tells whether a webhook delivery really comes from WaveSpeed.</summary>
[Cmdlet(VerbsDiagnostic.Test, "GptImageWebhookSignature")]
[OutputType(typeof(bool))]
public sealed class TestGptImageWebhookSignatureCommand : GptImageCmdlet
{
    /// <summary>The request's headers.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Headers", "RequestHeader")]
    [ValidateNotNull]
    public object Header { get; set; } = null!;

    /// <summary>The raw body exactly as received (a string or bytes).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RequestBody", "Content")]
    [AllowEmptyString]
    public object RawBody { get; set; } = null!;

    /// <summary>The webhook secret (whsec_..., from Get-GptImageWebhookSecret), as a SecureString or a string.</summary>
    [Parameter(Mandatory = true)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString Secret { get; set; } = null!;

    /// <summary>The oldest delivery accepted, in seconds (default 300, as WaveSpeed signs them).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int MaximumAgeSec { get; set; } = 300;

    /// <summary>
    /// The webhook ids already taken, kept by the caller across deliveries (a HashSet[string]): a valid delivery's id is
    /// added, and one already there is refused as a replay. Without it a delivery verifies again within -MaximumAgeSec.
    /// Typed Object, as help shows no generic type: anything but a collection of strings that can be added to is refused.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public object? SeenId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // A secret without key material, or a -SeenId that cannot be added to, is the caller's setting: it stops the
        // command. Whatever the delivery holds only ever answers $false.
        var verification = OrStop(() => WebhookSignature.Verify(PowerShellValues.ToHeaders(Header), PowerShellValues.ToBytes(RawBody) ?? Array.Empty<byte>(),
            new NetworkCredential(string.Empty, Secret).Password.Trim(), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(MaximumAgeSec), SeenIds()));
        WriteVerbose(verification.Reason);
        WriteObject(verification.IsValid);
    }

    /// <summary>-SeenId as the collection it is, or InvalidParameter when it is not a collection of strings.</summary>
    private ICollection<string>? SeenIds() => SeenId is null ? null
        : (SeenId is PSObject ps ? ps.BaseObject : SeenId) as ICollection<string>
            ?? throw GptImageException.InvalidParameter(nameof(SeenId),
                "-SeenId takes a collection of strings the caller keeps, such as [System.Collections.Generic.HashSet[string]]::new().");
}
