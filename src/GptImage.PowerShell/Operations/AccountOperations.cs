using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Client;

namespace GptImage.Operations;

/// <summary>The account's balance, as Get-GptImageBalance writes it.</summary>
public sealed class GptImageBalance
{
    /// <summary>The provider.</summary>
    public string Provider { get; init; } = "WaveSpeed";
    /// <summary>What is left on the account.</summary>
    public decimal Balance { get; init; }
    /// <summary>Always USD.</summary>
    public string Currency { get; init; } = "USD";

    /// <inheritdoc />
    public override string ToString() => $"{Balance} {Currency}";
}

/// <summary>What the account-level cmdlets do: balance, history and the webhook secret (WaveSpeed's features).</summary>
public static class AccountOperations
{
    /// <summary>
    /// Refuses, before anything is sent, a feature only WaveSpeed has: NotSupported, naming WaveSpeed and why the
    /// other provider has none.
    /// </summary>
    public static void RequireWaveSpeed(ProviderKind provider, string feature)
    {
        if (provider == ProviderKind.WaveSpeed) { return; }
        throw new GptImageException(GptImageErrorKind.NotSupported,
            $"{feature} is taken by WaveSpeed only: {provider} answers the Images API synchronously and has no such endpoint. Use -Provider WaveSpeed.");
    }

    private static WaveSpeedClient WaveSpeed(IImageApiClient provider, string feature)
    {
        RequireWaveSpeed(provider.Kind, feature);
        return (WaveSpeedClient)provider;
    }

    /// <summary>The account's balance (GET /api/v3/balance).</summary>
    public static async Task<GptImageBalance> GetBalanceAsync(IImageApiClient provider, CancellationToken cancellationToken) =>
        new() { Provider = provider.Kind.ToString(), Balance = await WaveSpeed(provider, "The balance").GetBalanceAsync(cancellationToken).ConfigureAwait(false) };

    /// <summary>The webhook signing secret (GET /api/v3/webhook/secret), whsec_ prefix included.</summary>
    public static Task<string> GetWebhookSecretAsync(IImageApiClient provider, CancellationToken cancellationToken) =>
        WaveSpeed(provider, "The webhook secret").GetWebhookSecretAsync(cancellationToken);

    /// <summary>Recent predictions from the history, newest first.</summary>
    public static Task<IReadOnlyList<Prediction>> ListAsync(IImageApiClient provider, HistoryQuery query, CancellationToken cancellationToken) =>
        WaveSpeed(provider, "Listing predictions").ListAsync(query, cancellationToken);
}
