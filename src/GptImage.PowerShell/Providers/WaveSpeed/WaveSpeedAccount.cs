using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http;
using GptImage.Http.Retry;

namespace GptImage.Providers.WaveSpeed;

/// <summary>WaveSpeed's account endpoints: the prediction history, the balance and the webhook signing secret.</summary>
internal sealed class WaveSpeedAccount
{
    private readonly ApiTransport _transport;

    internal WaveSpeedAccount(ApiTransport transport) => _transport = transport;

    /// <summary>
    /// The account's prediction history, newest first (POST /api/v3/predictions, the last 7 days), filtered by the
    /// service and paged 100 at a time; <see cref="HistoryQuery.Skip"/> and <see cref="HistoryQuery.First"/> pick the slice.
    /// </summary>
    public Task<IReadOnlyList<Prediction>> ListAsync(HistoryQuery query, CancellationToken cancellationToken) =>
        ListAsync(query, null, cancellationToken);

    /// <summary>
    /// The history, as <see cref="ListAsync(HistoryQuery, CancellationToken)"/>. A model name with several ids
    /// (gpt-image-1: text to image and edit) is listed once per id and merged, newest first. The service drives the
    /// paging, so it is bounded here: it stops at the total, after <see cref="HistoryQuery.MaxPages"/> pages, or at a page
    /// that brings no prediction not already listed (one listed twice, as paging shifts under new tasks, is listed once).
    /// An item that is not a prediction is skipped and the rest of its page kept. <paramref name="warn"/> is told of each
    /// cap reached, each item skipped, and a query reaching further than the service keeps predictions.
    /// </summary>
    public async Task<IReadOnlyList<Prediction>> ListAsync(HistoryQuery query, Action<string>? warn, CancellationToken cancellationToken)
    {
        if (query is null) { throw new ArgumentNullException(nameof(query)); }
        query.Validate();
        if (query.RetentionWarning(DateTimeOffset.UtcNow) is { } old) { warn?.Invoke(old); }
        var wanted = query.First ?? int.MaxValue;
        var models = query.ServiceModels();
        IReadOnlyList<Prediction> result;
        if (models.Count == 1)
        {
            result = await ListOneAsync(query.ForModel(models[0]), query.Skip, wanted, warn, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var merged = new List<Prediction>();
            var upTo = wanted == int.MaxValue ? int.MaxValue : (int)Math.Min(int.MaxValue, (long)query.Skip + wanted);
            foreach (var model in models)
            {
                merged.AddRange(await ListOneAsync(query.ForModel(model), 0, upTo, warn, cancellationToken).ConfigureAwait(false));
            }
            result = merged.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.First())
                .OrderByDescending(p => p.CreatedAt ?? DateTimeOffset.MinValue).Skip(query.Skip).Take(wanted).ToList();
        }
        if (query.ShortfallWarning(result.Count) is { } shortfall) { warn?.Invoke(shortfall); }
        return result;
    }

    /// <summary>
    /// One listing of the service (one model id or all): <paramref name="skip"/> matching predictions passed over, at most
    /// <paramref name="wanted"/> returned. The service skips whole pages, unless predictions are told apart here (created).
    /// </summary>
    private async Task<List<Prediction>> ListOneAsync(HistoryQuery query, int skip, int wanted, Action<string>? warn, CancellationToken cancellationToken)
    {
        var result = new List<Prediction>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var serverSkip = query.FiltersLocally ? 0 : skip;
        var localSkip = skip - serverSkip;
        var page = (serverSkip / HistoryQuery.MaxPageSize) + 1;
        var offset = serverSkip % HistoryQuery.MaxPageSize;
        for (var pages = 0; result.Count < wanted; pages++)
        {
            if (pages == HistoryQuery.MaxPages)
            {
                warn?.Invoke($"The history listing stopped after {HistoryQuery.MaxPages} pages ({HistoryQuery.MaxPages * HistoryQuery.MaxPageSize} predictions), " +
                    "the most one call reads, with the service still sending pages. Narrow it with -CreatedAfter, -CreatedBefore, -Status or -Model, or page on with -Skip.");
                break;
            }
            var (items, total) = await ListPageAsync(query, page, HistoryQuery.MaxPageSize, warn, cancellationToken).ConfigureAwait(false);
            var fresh = 0;
            for (var i = 0; i < items.Count; i++)
            {
                if (!listed.Add(items[i].Id!)) { continue; }
                fresh++;
                if (i < offset || result.Count >= wanted) { continue; }
                if (Read(items[i], page, warn) is not { } prediction || !query.Keeps(prediction)) { continue; }
                if (localSkip > 0) { localSkip--; }
                else { result.Add(prediction); }
            }
            offset = 0;
            if (items.Count > 0 && fresh == 0)
            {
                warn?.Invoke($"Page {page} of the history repeats predictions already listed; the listing stopped there.");
                break;
            }
            if (items.Count < HistoryQuery.MaxPageSize || (total is { } t && page * HistoryQuery.MaxPageSize >= t)) { break; }
            page++;
        }
        return result;
    }

    /// <summary>A history item as a prediction, or null (and a warning) when it holds what no prediction may: an unsafe id or output.</summary>
    private Prediction? Read(Wire.PredictionData item, int page, Action<string>? warn)
    {
        try
        {
            return WaveSpeedPredictions.From(item, null, false, null, _transport.Redact);
        }
        catch (GptImageException e)
        {
            warn?.Invoke($"An item of page {page} of the history was skipped: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// One page of the history: its items that read as predictions with an id, and the total the service gives. An item
    /// that does not is skipped, with a warning, and the rest of the page kept.
    /// </summary>
    internal async Task<(List<Wire.PredictionData> Items, int? Total)> ListPageAsync(HistoryQuery query, int page, int pageSize, Action<string>? warn,
        CancellationToken cancellationToken)
    {
        var body = query.RequestBody(page, pageSize);
        _transport.Log(() => $"Listing predictions: {body}");
        var envelope = await _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, _transport.Url.Path("api/v3/predictions").ToUri()) { Content = ApiTransport.JsonContent(body) },
            RetryMode.Idempotent, response => ReadAsync(response, ClientJsonContext.Default.EnvelopePredictionPage), cancellationToken).ConfigureAwait(false);
        var items = new List<Wire.PredictionData>();
        var raw = envelope.Data?.Items ?? new List<JsonElement>();
        for (var i = 0; i < raw.Count; i++)
        {
            if (Item(raw[i]) is { } item) { items.Add(item); }
            else { warn?.Invoke($"Item {i} of page {page} of the history is not a prediction with an id; it was skipped."); }
        }
        return (items, envelope.Data?.Total);
    }

    private static Wire.PredictionData? Item(JsonElement raw)
    {
        try
        {
            return raw.ValueKind == JsonValueKind.Object && raw.Deserialize(ClientJsonContext.Default.PredictionData) is { Id: { Length: > 0 } } item ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The account's balance in USD (GET /api/v3/balance).</summary>
    public async Task<decimal> GetBalanceAsync(CancellationToken cancellationToken)
    {
        var envelope = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _transport.Url.Path("api/v3/balance").ToUri()),
            RetryMode.Idempotent, response => ReadAsync(response, ClientJsonContext.Default.EnvelopeBalanceData), cancellationToken).ConfigureAwait(false);
        return envelope.Data?.Balance ?? throw new GptImageException(GptImageErrorKind.InvalidResponse, "The balance answer has no data.balance.");
    }

    /// <summary>The account's webhook signing secret, whsec_ prefix included (GET /api/v3/webhook/secret).</summary>
    public async Task<string> GetWebhookSecretAsync(CancellationToken cancellationToken)
    {
        var envelope = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _transport.Url.Path("api/v3/webhook/secret").ToUri()),
            RetryMode.Idempotent, response => ReadAsync(response, ClientJsonContext.Default.EnvelopeWebhookSecretData), cancellationToken).ConfigureAwait(false);
        return envelope.Data?.Secret is { Length: > 0 } secret ? secret
            : throw new GptImageException(GptImageErrorKind.InvalidResponse, "The webhook secret answer has no data.secret.");
    }

    /// <summary>A successful answer's JSON, or the typed error of an unsuccessful one.</summary>
    private async Task<T> ReadAsync<T>(ApiResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        await _transport.ThrowForStatusAsync(response, null).ConfigureAwait(false);
        return await ApiTransport.ReadJsonAsync(response, type, null).ConfigureAwait(false);
    }
}
