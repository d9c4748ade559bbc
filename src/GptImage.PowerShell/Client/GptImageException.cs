using System;

namespace GptImage.Client;

/// <summary>What went wrong, as a cmdlet maps it to an ErrorId (<c>GptImage.&lt;Kind&gt;</c>) and category.</summary>
public enum GptImageErrorKind
{
    /// <summary>401: the key is missing, wrong or not activated.</summary>
    AuthenticationFailed,
    /// <summary>403: the account is suspended or may not use this.</summary>
    Forbidden,
    /// <summary>The account's balance does not cover the task.</summary>
    InsufficientBalance,
    /// <summary>429 after every allowed retry.</summary>
    RateLimited,
    /// <summary>A parameter is invalid (found locally or by the service).</summary>
    InvalidParameter,
    /// <summary>The task ended failed, cancelled, timed out or deleted on the service.</summary>
    TaskFailed,
    /// <summary>The task failed content moderation (code 1200).</summary>
    ContentModerated,
    /// <summary>Waiting or a request took longer than allowed.</summary>
    Timeout,
    /// <summary>The network failed (connection refused or reset, name not resolved, TLS).</summary>
    TransportFailed,
    /// <summary>A submit was sent but its answer was lost: the task may exist and may be charged.</summary>
    SubmitOutcomeUnknown,
    /// <summary>The prediction or output no longer exists (404; outputs are deleted after 7 days).</summary>
    NotFound,
    /// <summary>The service answered something that could not be read.</summary>
    InvalidResponse,
    /// <summary>A 5xx after every allowed retry.</summary>
    ServiceUnavailable,
    /// <summary>A local input file does not exist.</summary>
    FileNotFound,
    /// <summary>A local input file is not an accepted image (kind, size).</summary>
    InvalidFile,
    /// <summary>The target file exists and overwriting was not asked for.</summary>
    FileExists,
    /// <summary>A downloaded image failed verification (length, signature, completeness, size cap) or kept redirecting.</summary>
    DownloadFailed,
    /// <summary>The service's answer asked for something refused: an output that is not http(s) or base64, a redirect to another scheme, an id that is not one path segment.</summary>
    UnsafeResponse,
    /// <summary>A local input file exists but cannot be read (permission denied, locked).</summary>
    FileNotReadable,
    /// <summary>The output folder cannot be written (read-only, no permission).</summary>
    DestinationNotWritable,
    /// <summary>The provider has no such feature (balance, history, webhooks are WaveSpeed's); the message names who has it.</summary>
    NotSupported,
}

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

    /// <summary>No key is known for <paramref name="provider"/>: the one message saying how to give one.</summary>
    public static GptImageException MissingApiKey(ProviderKind provider) =>
        new(GptImageErrorKind.AuthenticationFailed,
            $"No API key for {provider}. Pass -ApiKey, run Connect-GptImage -ApiKey (Get-Secret {provider}), or set the {ClientOptions.KeyVariable(provider)} environment variable.")
        {
            ErrorId = MissingApiKeyId,
            RecommendedAction = $"Connect-GptImage -ApiKey (Get-Secret {provider}), or set {ClientOptions.KeyVariable(provider)}.",
        };

    /// <summary>The stable ErrorId of a kind of failure.</summary>
    public static string IdOf(GptImageErrorKind kind) => "GptImage." + kind;

    internal static GptImageException InvalidParameter(string parameter, string message) =>
        new(GptImageErrorKind.InvalidParameter, message) { ParameterName = parameter };
}
