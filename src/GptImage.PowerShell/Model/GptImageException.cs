using System;
using System.Collections.Generic;
using System.Linq;

namespace GptImage;

/// <summary>
/// The one exception type the client throws. <see cref="Kind"/> says what failed; the prediction id is
/// carried when there is one. Messages never contain the API key.
/// </summary>
[Serializable]
public sealed class GptImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GptImageException(GptImageErrorKind kind, string message, string? predictionId = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        PredictionId = predictionId;
        StatusCode = statusCode;
    }

    /// <summary>What failed.</summary>
    public GptImageErrorKind Kind { get; }

    /// <summary>The prediction the failure belongs to, when known.</summary>
    public string? PredictionId { get; }

    /// <summary>The HTTP status, when the failure is an HTTP answer.</summary>
    public int? StatusCode { get; }

    /// <summary>The task's numeric failure code (1200 moderation, 5004 timeout…), when the service gave one.</summary>
    public int? TaskErrorCode { get; init; }

    /// <summary>The parameter at fault, for <see cref="GptImageErrorKind.InvalidParameter"/>.</summary>
    public string? ParameterName { get; init; }

    /// <summary>Seconds the service asked to wait, for <see cref="GptImageErrorKind.RateLimited"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The finished prediction whose outputs could not be saved: the task was paid for, so the cmdlet still
    /// writes it (and makes it the error's target) for Save-GptImage to retry.
    /// </summary>
    public Prediction? Prediction { get => _prediction; init => _prediction = value; }

    [NonSerialized]
    private Prediction? _prediction;

    /// <summary>This error, for a save of <paramref name="prediction"/> that failed.</summary>
    internal GptImageException SavingFailed(Prediction prediction) =>
        new(Kind, Message, PredictionId ?? prediction.Id, StatusCode, InnerException)
        {
            TaskErrorCode = TaskErrorCode,
            ParameterName = ParameterName,
            RetryAfter = RetryAfter,
            ErrorId = ErrorId,
            RecommendedAction = RecommendedAction,
            Prediction = prediction,
        };

    /// <summary>The stable ErrorId a cmdlet reports: <c>GptImage.</c> followed by the kind, unless a factory names a more precise one.</summary>
    public string ErrorId { get => _errorId ?? IdOf(Kind); init => _errorId = value; }

    private readonly string? _errorId;

    /// <summary>What the user can do about this error in particular, when the kind's general advice does not say it.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>The ErrorId of the error when no key is known for a call.</summary>
    public const string MissingApiKeyId = "GptImage.MissingApiKey";

    /// <summary>The ErrorId of a failure no kind describes (a defect of the module).</summary>
    public const string UnexpectedErrorId = "GptImage.UnexpectedError";

    /// <summary>Every ErrorId a cmdlet reports: one per kind, a missing key and an unexpected error.</summary>
    public static IReadOnlyList<string> ErrorIds { get; } =
#if NET
        Enum.GetValues<GptImageErrorKind>()
#else
        Enum.GetValues(typeof(GptImageErrorKind)).Cast<GptImageErrorKind>()
#endif
            .Select(IdOf).Concat(new[] { MissingApiKeyId, UnexpectedErrorId }).ToArray();

    /// <summary>The stable ErrorId of a kind of failure.</summary>
    public static string IdOf(GptImageErrorKind kind) => "GptImage." + kind;

    /// <summary>A feature only WaveSpeed has (balance, history, webhook secret) asked of another provider.</summary>
    internal static GptImageException WaveSpeedOnly(string feature, ProviderKind provider) =>
        new(GptImageErrorKind.NotSupported,
            $"{feature} is taken by WaveSpeed only: {provider} answers the Images API synchronously and has no such endpoint. Use -Provider WaveSpeed.");

    internal static GptImageException InvalidParameter(string parameter, string message) =>
        new(GptImageErrorKind.InvalidParameter, message) { ParameterName = parameter };
}
