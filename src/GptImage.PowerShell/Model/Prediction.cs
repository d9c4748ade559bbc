using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GptImage;

/// <summary>
/// One image task as GptImage reports it: the one object type on the pipeline. Nothing secret is on it.
/// </summary>
public sealed class Prediction
{
    /// <summary>A prediction known by nothing yet; set what is known with an initializer.</summary>
    public Prediction()
    {
    }

    /// <summary>
    /// A prediction of what <paramref name="asked"/> asked for (a request's prediction, see ImageRequest.Asked): its
    /// provider, model, prompt, size, quality, source file and output mode. What an answer says is set with an initializer.
    /// </summary>
    internal Prediction(Prediction asked)
    {
        Provider = asked.Provider;
        Model = asked.Model;
        ModelId = asked.ModelId;
        Prompt = asked.Prompt;
        Size = asked.Size;
        Quality = asked.Quality;
        SourcePath = asked.SourcePath;
        Base64Output = asked.Base64Output;
    }

    /// <summary>The service's task id.</summary>
    public string Id { get; init; } = string.Empty;
    /// <summary>WaveSpeed, AimlApi or OpenAI.</summary>
    public string Provider { get; init; } = "WaveSpeed";
    /// <summary>The model name (gpt-image-1…).</summary>
    public string Model { get; init; } = string.Empty;
    /// <summary>The service's model id (openai/gpt-image-1/text-to-image…).</summary>
    public string? ModelId { get; init; }
    /// <summary>created, processing, completed, failed, cancelled, timeout or deleted.</summary>
    public string Status { get; init; } = PredictionStatus.Created;
    /// <summary>The prompt, when this session submitted the task.</summary>
    public string? Prompt { get; init; }
    /// <summary>The size asked for (1024x1536…, or auto), when known.</summary>
    public string? Size { get; init; }
    /// <summary>The quality asked for (low, medium, high, auto), when known.</summary>
    public string? Quality { get; init; }
    /// <summary>The local file an edit started from.</summary>
    public string? SourcePath { get; init; }
    /// <summary>Output URLs (empty until completed, and for base64 outputs).</summary>
    public IReadOnlyList<Uri> Outputs { get; init; } = Array.Empty<Uri>();
    /// <summary>
    /// How many outputs the service gave beyond the 16 a task is taken for: they were dropped, not fetched or saved
    /// (the task is still paid and completed).
    /// </summary>
    public int OutputsDropped { get; init; }
    /// <summary>
    /// How many images a completed WaveSpeed base64 prediction holds in its result (not URLs, so not in
    /// <see cref="Outputs"/>): the service keeps them for 7 days; Save-GptImage writes them.
    /// </summary>
    public int Base64Images { get; init; }
    /// <summary>Images saved to disk.</summary>
    public IReadOnlyList<FileInfo> Files { get => _files; init => _files = value; }
    private IReadOnlyList<FileInfo> _files = Array.Empty<FileInfo>();
    /// <summary>Whether any output was flagged NSFW.</summary>
    public bool HasNsfwContents => NsfwFlags.Any(f => f);
    /// <summary>The NSFW flag of each output.</summary>
    public IReadOnlyList<bool> NsfwFlags { get; init; } = Array.Empty<bool>();
    /// <summary>The failure text, when failed.</summary>
    public string? Error { get; init; }
    /// <summary>The failure code (1200 moderation, 1402 media, 5004 timeout…), when given.</summary>
    public int? ErrorCode { get; init; }
    /// <summary>When the service created the task.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The service's inference time.</summary>
    public TimeSpan? InferenceTime { get; init; }
    /// <summary>Where the result is queried.</summary>
    public Uri? ResultUri { get; init; }
    /// <summary>Spend, when the provider reports it.</summary>
    public PredictionUsage? Usage { get; init; }
    /// <summary>
    /// What the prediction costs in US dollars: the service's figure where it gives one (AIML API's usage), otherwise
    /// the published price for the model, size and quality (see <see cref="UsdSource"/>); null when neither is known.
    /// </summary>
    public decimal? Usd { get; init; }
    /// <summary>Where <see cref="Usd"/> comes from: "reported by AimlApi", or "estimate: …" naming the published price used.</summary>
    public string? UsdSource { get; init; }
    /// <summary>The service's last answer (JSON) for the curious; base64 images are left out.</summary>
    public string? RawResponse { get; init; }
    /// <summary>Whether outputs come back as base64 in the result.</summary>
    public bool Base64Output { get; init; }

    /// <summary>
    /// A prediction read back from outside this session (Import-Clixml, ConvertFrom-Json, a job's output): it holds
    /// only its Id, its Provider and the outputs of it still kept in GptImage's private folder; everything else is
    /// queried again before it is waited on or saved.
    /// </summary>
    internal bool IsReference { get; init; }
    /// <summary>When the service answered this session's submit (a Stopwatch timestamp: the task started no later), or 0.</summary>
    internal long SubmittedAt { get => _submittedAt; init => _submittedAt = value; }
    private long _submittedAt;

    /// <summary>The kind of task it is for learnt timings (service, model, size, quality), when this session submitted it.</summary>
    internal string? TimingKey { get => _timingKey; init => _timingKey = value; }
    private string? _timingKey;

    /// <summary>A copy with the files its outputs were saved to: a prediction someone holds is never changed.</summary>
    internal Prediction WithFiles(IReadOnlyList<FileInfo> files)
    {
        var copy = (Prediction)MemberwiseClone();
        copy._files = files;
        return copy;
    }

    /// <summary>A copy that knows when this session's submit was answered and the kind of task it is.</summary>
    internal Prediction WithSubmit(long submittedAt, string? timingKey)
    {
        var copy = (Prediction)MemberwiseClone();
        copy._submittedAt = submittedAt;
        copy._timingKey = timingKey;
        return copy;
    }

    /// <summary>How long the task has been running, as far as this session can tell.</summary>
    internal TimeSpan Running =>
        SubmittedAt != 0 ? TimeSpan.FromSeconds((System.Diagnostics.Stopwatch.GetTimestamp() - SubmittedAt) / (double)System.Diagnostics.Stopwatch.Frequency)
        : CreatedAt is { } created ? DateTimeOffset.UtcNow - created : TimeSpan.Zero;

    /// <summary>Whether the status is final.</summary>
    public bool IsFinal => PredictionStatus.IsFinal(Status);

    /// <summary>The exception a failed prediction stands for (TaskFailed, or ContentModerated for code 1200), whichever provider made it.</summary>
    internal GptImageException ToFailure()
    {
        var kind = ErrorCode == 1200 ? GptImageErrorKind.ContentModerated : GptImageErrorKind.TaskFailed;
        var code = ErrorCode is { } c ? $" (code {c})" : string.Empty;
        return new GptImageException(kind, $"Prediction {Id} {Status}{code}: {Error ?? "no reason given"}", Id)
        {
            TaskErrorCode = ErrorCode,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Status} {Model}";
}
