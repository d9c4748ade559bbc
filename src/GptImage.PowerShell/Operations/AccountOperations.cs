using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Client;

namespace GptImage.Operations;

/// <summary>What the account cmdlets ask of WaveSpeed: the balance, the webhook secret, the prediction history.</summary>
public static class AccountOperations
{
    private static WaveSpeedClient WaveSpeed(IImageApiClient client, string feature) =>
        client as WaveSpeedClient ?? throw GptImageException.WaveSpeedOnly(feature, client.Kind);

    /// <summary>The account's balance.</summary>
    public static async Task<GptImageBalance> GetBalanceAsync(IImageApiClient client, CancellationToken cancellationToken) =>
        new() { Provider = client.Kind.ToString(), Balance = await WaveSpeed(client, "The balance").GetBalanceAsync(cancellationToken).ConfigureAwait(false) };

    /// <summary>The account's webhook signing secret.</summary>
    public static Task<string> GetWebhookSecretAsync(IImageApiClient client, CancellationToken cancellationToken) =>
        WaveSpeed(client, "The webhook secret").GetWebhookSecretAsync(cancellationToken);

    /// <summary>The account's recent predictions.</summary>
    public static Task<IReadOnlyList<Prediction>> ListAsync(IImageApiClient client, HistoryQuery query, CancellationToken cancellationToken) =>
        WaveSpeed(client, "Listing predictions").ListAsync(query, cancellationToken);
}
