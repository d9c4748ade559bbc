using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// A sync-mode submit answered 504 left a running task whose id was not returned. It is found among the account's
/// newest predictions (same model, created since the submit, not known here) and polled; it is never submitted
/// again. When it cannot be singled out, the caller is told so.
/// </summary>
internal sealed class SyncModeRecovery
{
    private readonly ApiTransport _transport;
    private readonly WaveSpeedAccount _account;
    private readonly HashSet<string> _known;

    public SyncModeRecovery(ApiTransport transport, WaveSpeedAccount account, HashSet<string> known)
    {
        _transport = transport;
        _account = account;
        _known = known;
    }

    /// <summary>The id of the task a sync-mode submit of <paramref name="model"/> at <paramref name="submittedAt"/> started.</summary>
    public async Task<string> FindAsync(string model, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        _transport.Log("Sync mode timed out at the gateway (504); looking for the task among recent predictions instead of submitting again");
        var query = new HistoryQuery { Model = model, CreatedAfter = submittedAt.AddSeconds(-30) };
        var (items, _) = await _account.ListPageAsync(query, 1, HistoryQuery.MaxPageSize, _transport.Log, cancellationToken).ConfigureAwait(false);
        var candidates = items.Where(item =>
        {
            lock (_known) { return item.Id is not null && !_known.Contains(item.Id); }
        }).ToList();
        if (candidates.Count == 1)
        {
            var id = Untrusted.ServiceId(candidates[0].Id!, null);
            _transport.Log(() => $"Found the sync-mode task {id}; polling it");
            return id;
        }
        throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
            "The sync-mode submit timed out at the gateway (504) and the task it started could not be singled out among recent " +
            "predictions. It was not submitted again; it may still complete and be charged.");
    }
}
