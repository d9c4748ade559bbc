using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GptImage.Http;
using GptImage.Requests;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// Which predictions to list from the history (WaveSpeed's Predictions API: the last 7 days, newest first): the
/// service's filters, and the slice to return.
/// </summary>
internal sealed class HistoryQuery
{
    /// <summary>The largest page the service serves.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// The most pages one listing reads (10,000 predictions): the service decides when paging ends, and a service
    /// that never says so must not keep a call reading for ever.
    /// </summary>
    public const int MaxPages = 100;

    /// <summary>How long the service keeps predictions: older ones cannot be listed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>
    /// The statuses a listing filters by: the service's (completed, failed, processing) and created, which the service
    /// counts as processing and which is told apart here.
    /// </summary>
    public static readonly string[] Statuses = { PredictionStatus.Created, PredictionStatus.Processing, PredictionStatus.Completed, PredictionStatus.Failed };

    /// <summary>
    /// Only this model: a name as predictions show it (gpt-image-1: its text-to-image and edit ids) or a full model id
    /// (openai/gpt-image-1/text-to-image…); null for all.
    /// </summary>
    public string? Model { get; init; }
    /// <summary>created, processing, completed or failed, or null for all.</summary>
    public string? Status { get; init; }
    /// <summary>Only predictions created at or after this time.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }
    /// <summary>Only predictions created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }
    /// <summary>How many of the newest matching predictions to pass over.</summary>
    public int Skip { get; init; }
    /// <summary>How many to return; null for all.</summary>
    public int? First { get; init; }

    /// <summary>Throws InvalidParameter for values the service does not take.</summary>
    public void Validate()
    {
        if (Status is not null && Array.IndexOf(Statuses, Status) < 0)
        {
            throw GptImageException.InvalidParameter("Status", $"'{Status}' is not a status the history filters by. Allowed values: {string.Join(", ", Statuses)}.");
        }
        if (Skip < 0) { throw GptImageException.InvalidParameter("Skip", "Skip cannot be negative."); }
        if (First is < 0) { throw GptImageException.InvalidParameter("First", "First cannot be negative."); }
        if (CreatedAfter is { } after && CreatedBefore is { } before && after >= before)
        {
            throw GptImageException.InvalidParameter("CreatedAfter", "CreatedAfter must be earlier than CreatedBefore.");
        }
    }

    /// <summary>
    /// The model ids to ask the service for, one listing each: the WaveSpeed ids of a catalogue name (gpt-image-1: its
    /// text-to-image and edit ids), else <see cref="Model"/> as given; a single null when no model is asked for.
    /// </summary>
    public IReadOnlyList<string?> ServiceModels()
    {
        if (Model is not { Length: > 0 } model) { return new string?[] { null }; }
        var ids = ModelCatalog.All
            .Where(m => m.Provider == ProviderKind.WaveSpeed && string.Equals(m.Name, model.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(m => m.ApiModelId).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count > 0 ? ids.ToArray<string?>() : new string?[] { model };
    }

    /// <summary>This query for one service model id (null: all models).</summary>
    internal HistoryQuery ForModel(string? id) => new()
    {
        Model = id, Status = Status, CreatedAfter = CreatedAfter, CreatedBefore = CreatedBefore, Skip = Skip, First = First,
    };

    /// <summary>Whether the service's pages hold predictions this query does not want (created is asked for as processing).</summary>
    internal bool FiltersLocally => Status == PredictionStatus.Created;

    /// <summary>Whether a prediction the service listed is one this query asks for.</summary>
    internal bool Keeps(Prediction prediction) => !FiltersLocally || prediction.Status == PredictionStatus.Created;

    /// <summary>The status sent to the service: created is filtered as processing, the status the service counts it under.</summary>
    private string? ServiceStatus => FiltersLocally ? PredictionStatus.Processing : Status;

    /// <summary>A warning when the query reaches further back than the service keeps predictions (<see cref="Retention"/>), else null.</summary>
    public string? RetentionWarning(DateTimeOffset now)
    {
        var oldest = now - Retention;
        if (CreatedBefore is { } before && before <= oldest)
        {
            return $"WaveSpeed keeps predictions for {Retention.TotalDays:0} days: nothing created before {Local(before)} can be listed; the history reaches back to about {Local(oldest)}.";
        }
        return CreatedAfter is { } after && after < oldest
            ? $"WaveSpeed keeps predictions for {Retention.TotalDays:0} days: the listing cannot reach back to {Local(after)}, only to about {Local(oldest)}."
            : null;
    }

    /// <summary>A warning when -Skip or -First asked for more predictions than the history holds (<paramref name="listed"/> were found), else null.</summary>
    public string? ShortfallWarning(int listed)
    {
        if (First is { } first && listed < first)
        {
            return $"Only {listed} of the {first} predictions asked for{(Skip > 0 ? $" after skipping {Skip}" : "")} are in the history: WaveSpeed keeps predictions for {Retention.TotalDays:0} days.";
        }
        return Skip > 0 && listed == 0
            ? $"The history holds no more than {Skip} matching predictions to skip: WaveSpeed keeps predictions for {Retention.TotalDays:0} days."
            : null;
    }

    private static string Local(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The JSON body of one page request: page and page_size, and each filter given (times in UTC, ISO 8601).</summary>
    internal string RequestBody(int page, int pageSize) => JsonFields.Body(json =>
    {
        json.WriteNumber("page", page);
        json.WriteNumber("page_size", pageSize);
        if (Model is { Length: > 0 }) { json.WriteString("model", Model); }
        if (ServiceStatus is { Length: > 0 } status) { json.WriteString("status", status); }
        if (CreatedAfter is { } after) { json.WriteString("created_after", Iso(after)); }
        if (CreatedBefore is { } before) { json.WriteString("created_before", Iso(before)); }
    });

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
