using System;
using System.Linq;
using GptImage.Files;
using GptImage.Journal;
using GptImage.Providers;

namespace GptImage.Operations;

/// <summary>Get-GptImagePrediction: one query per id, or the paid tasks of the journal (-Pending).</summary>
internal sealed class GetPredictionOperation : PredictionOperation
{
    /// <summary>Creates the operation.</summary>
    public GetPredictionOperation(OperationRunner runner, IImageApiClient client)
        : base(runner, client, new WaitSettings(), "Querying predictions", ActivityIds.Get)
    {
    }

    /// <summary>One id (pipeline thread).</summary>
    public void Process(string id) => Run(id, id, ct => Client.GetAsync(id, ct)!);

    /// <summary>
    /// The journal's paid tasks (pipeline thread), of <paramref name="provider"/> only when given: WaveSpeed's queried
    /// again by id (a failed one leaves the journal), a synchronous provider's made of the outputs still kept. A task
    /// older than its provider keeps results, or whose kept outputs are gone, is reported once and removed.
    /// </summary>
    public void ProcessPending(TaskJournal journal, ProviderKind? provider, DateTimeOffset now)
    {
        var pending = journal.Pending(now, out var expired);
        foreach (var entry in expired)
        {
            Warn($"Prediction {entry.Id} ({entry.Provider}, accepted {entry.Time:u}) is older than {entry.Provider} keeps results " +
                 $"({TaskJournal.Retention(entry.Provider).TotalDays:0} days) and is removed from the journal of paid tasks.");
        }
        foreach (var entry in pending.Where(e => provider is null || e.Provider == provider.ToString()))
        {
            if (entry.Provider == nameof(ProviderKind.WaveSpeed) && Client.Kind == ProviderKind.WaveSpeed)
            {
                Run(entry.Id, entry.Id, async ct =>
                {
                    var current = await Client.GetAsync(entry.Id, ct).ConfigureAwait(false);
                    if (current.IsFinal && current.Status != PredictionStatus.Completed) { Warn(Paid.Finished(current)); }
                    return current;
                });
                continue;
            }
            var kept = entry.Outputs.Select(o => KeptOutputs.Reference(entry.Id, o, KeptOutputs.Folder)).OfType<Uri>().ToArray();
            if (entry.Provider != nameof(ProviderKind.WaveSpeed) && kept.Length == 0)
            {
                Warn($"Prediction {entry.Id} ({entry.Provider}) cannot be recovered: none of its outputs is kept any more, and {entry.Provider} keeps no task to query. " +
                     "It is removed from the journal of paid tasks.");
                journal.Remove(entry.Id);
                continue;
            }
            var reference = new Prediction
            {
                Id = entry.Id,
                Provider = entry.Provider,
                Model = entry.Model,
                Status = kept.Length > 0 ? PredictionStatus.Completed : PredictionStatus.Created,
                Outputs = kept,
                CreatedAt = entry.Time,
                IsReference = true,
            };
            Runner.Post(sink => sink.WriteObject(reference));
        }
    }

    /// <inheritdoc />
    protected override void Emit(Prediction prediction, object target) => Runner.Post(sink => sink.WriteObject(prediction));
}
