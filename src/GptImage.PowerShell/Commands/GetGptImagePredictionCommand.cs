using System;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Commands.Completers;
using GptImage.Files;
using GptImage.Journal;
using GptImage.Operations;
using GptImage.Providers.WaveSpeed;

namespace GptImage.Commands;

/// <summary>Gets the current state of predictions, or lists recent ones.</summary>
[Cmdlet(VerbsCommon.Get, "GptImagePrediction", DefaultParameterSetName = ListSet)]
[OutputType(typeof(Prediction))]
public sealed class GetGptImagePredictionCommand : ServiceCmdlet
{
    private const string IdSet = "Id";
    private const string ListSet = "List";
    private const string PendingSet = "Pending";
    private GetPredictionOperation? _operation;

    /// <summary>Prediction ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Lists only predictions of this model: a name as predictions show it (gpt-image-1), or a WaveSpeed model id (openai/gpt-image-1/text-to-image).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(ModelIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    /// <summary>Lists only predictions with this status.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("created", "processing", "completed", "failed")]
    public string? Status { get; set; }

    /// <summary>Lists only predictions created at or after this time (local time unless the DateTime says UTC).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime CreatedAfter { get; set; }

    /// <summary>Lists only predictions created before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime CreatedBefore { get; set; }

    /// <summary>Passes over this many of the newest matching predictions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    /// <summary>Lists at most this many predictions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Lists the paid tasks of GptImage's journal not yet saved (submitted, or answered, in any session on this machine and account).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PendingSet)]
    public SwitchParameter Pending { get; set; }

    /// <inheritdoc />
    protected override bool RequiresKey => ParameterSetName != PendingSet;

    /// <inheritdoc />
    protected override string? WaveSpeedOnly => ParameterSetName == ListSet ? "Listing predictions" : null;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _operation = new GetPredictionOperation(Runner, Client);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName != IdSet) { return; }
        foreach (var id in Id) { _operation!.Process(id); }
        Runner.Pump();
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ParameterSetName == PendingSet)
        {
            var provider = MyInvocation.BoundParameters.ContainsKey(nameof(Provider)) ? Provider : (ProviderKind?)null;
            ValidateOrThrow(() => _operation!.ProcessPending(TaskJournal.User, provider, DateTimeOffset.UtcNow));
        }
        if (ParameterSetName is IdSet or PendingSet)
        {
            _operation!.End();
            return;
        }
        var bound = MyInvocation.BoundParameters;
        var query = new HistoryQuery
        {
            Model = Model,
            Status = Status,
            CreatedAfter = bound.ContainsKey(nameof(CreatedAfter)) ? new DateTimeOffset(CreatedAfter) : null,
            CreatedBefore = bound.ContainsKey(nameof(CreatedBefore)) ? new DateTimeOffset(CreatedBefore) : null,
            Skip = Skip,
            First = bound.ContainsKey(nameof(First)) ? First : null,
        };
        ValidateOrThrow(query.Validate);
        RunToEnd(async ct =>
        {
            var listed = await WaveSpeed.Account.ListAsync(query, line => Runner.Post(sink => sink.WriteWarning(line)), ct).ConfigureAwait(false);
            foreach (var prediction in listed)
            {
                Runner.Post(sink =>
                {
                    if (TaskOutputs.Warning(prediction) is { } dropped) { sink.WriteWarning(dropped); }
                    sink.WriteObject(prediction);
                });
            }
        }, null);
    }
}
