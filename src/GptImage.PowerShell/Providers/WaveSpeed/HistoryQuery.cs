using System;
using System.Globalization;
using GptImage.Http;

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

    /// <summary>The statuses the service filters by.</summary>
    public static readonly string[] Statuses = { "completed", "failed", "processing" };

    /// <summary>Only this model id (openai/gpt-image-1/text-to-image…), or null for all.</summary>
    public string? Model { get; init; }
    /// <summary>completed, failed or processing, or null for all.</summary>
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

    /// <summary>The JSON body of one page request: page and page_size, and each filter given (times in UTC, ISO 8601).</summary>
    internal string RequestBody(int page, int pageSize) => JsonFields.Body(json =>
    {
        json.WriteNumber("page", page);
        json.WriteNumber("page_size", pageSize);
        if (Model is { Length: > 0 }) { json.WriteString("model", Model); }
        if (Status is { Length: > 0 }) { json.WriteString("status", Status); }
        if (CreatedAfter is { } after) { json.WriteString("created_after", Iso(after)); }
        if (CreatedBefore is { } before) { json.WriteString("created_before", Iso(before)); }
    });

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
