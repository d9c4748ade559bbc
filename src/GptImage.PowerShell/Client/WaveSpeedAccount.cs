using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Client;

/// <summary>WaveSpeed's account endpoints: the prediction history, the balance and the webhook signing secret.</summary>
public sealed class WaveSpeedAccount
{
    private readonly ApiTransport _transport;

    internal WaveSpeedAccount(ApiTransport transport) => _transport = transport;

    /// <summary>
    /// The account's prediction history, newest first (POST /api/v3/predictions, the last 7 days), filtered by the
    /// service and paged 100 at a time; <see cref="HistoryQuery.Skip"/> and <see cref="HistoryQuery.First"/> pick the slice.
    /// </summary>
    public async Task<IReadOnlyList<Prediction>> ListAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        if (query is null) { throw new ArgumentNullException(nameof(query)); }
        query.Validate();
        var result = new List<Prediction>();
        var wanted = query.First ?? int.MaxValue;
        var page = (query.Skip / HistoryQuery.MaxPageSize) + 1;
        var offset = query.Skip % HistoryQuery.MaxPageSize;
        while (result.Count < wanted)
        {
            var (items, total) = await ListPageAsync(query, page, HistoryQuery.MaxPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var item in items.Skip(offset).Take(wanted - result.Count))
            {
                result.Add(WaveSpeedPredictions.From(item, null, false, null, _transport.Redact));
            }
            offset = 0;
            if (items.Count < HistoryQuery.MaxPageSize || (total is { } t && page * HistoryQuery.MaxPageSize >= t)) { break; }
            page++;
        }
        return result;
    }

    internal async Task<(List<Wire.PredictionData> Items, int? Total)> ListPageAsync(HistoryQuery query, int page, int pageSize, CancellationToken cancellationToken)
    {
        var body = query.RequestBody(page, pageSize);
        _transport.Log(() => $"Listing predictions: {body}");
        using var response = await _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, _transport.Url.Path("api/v3/predictions").ToUri()) { Content = ApiTransport.JsonContent(body) },
            RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
        var envelope = await ApiTransport.ReadJsonAsync(response, ClientJsonContext.Default.EnvelopePredictionPage, null).ConfigureAwait(false);
        return (envelope.Data?.Items ?? new List<Wire.PredictionData>(), envelope.Data?.Total);
    }

    /// <summary>The account's balance in USD (GET /api/v3/balance).</summary>
    public async Task<decimal> GetBalanceAsync(CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _transport.Url.Path("api/v3/balance").ToUri()),
            RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
        var envelope = await ApiTransport.ReadJsonAsync(response, ClientJsonContext.Default.EnvelopeBalanceData, null).ConfigureAwait(false);
        return envelope.Data?.Balance ?? throw new GptImageException(GptImageErrorKind.InvalidResponse, "The balance answer has no data.balance.");
    }

    /// <summary>The account's webhook signing secret, whsec_ prefix included (GET /api/v3/webhook/secret).</summary>
    public async Task<string> GetWebhookSecretAsync(CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _transport.Url.Path("api/v3/webhook/secret").ToUri()),
            RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
        var envelope = await ApiTransport.ReadJsonAsync(response, ClientJsonContext.Default.EnvelopeWebhookSecretData, null).ConfigureAwait(false);
        return envelope.Data?.Secret is { Length: > 0 } secret ? secret
            : throw new GptImageException(GptImageErrorKind.InvalidResponse, "The webhook secret answer has no data.secret.");
    }
}
