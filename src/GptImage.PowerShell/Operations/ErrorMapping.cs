using System;
using System.Collections.Generic;
using System.Linq;
using GptImage.Client;

namespace GptImage.Operations;

/// <summary>The one place a client error becomes an ErrorId, a category and a recommended action.</summary>
public static class ErrorMapping
{
    /// <summary>The ErrorId of the terminating error when no key is known.</summary>
    public const string MissingApiKeyId = "GptImage.MissingApiKey";

    /// <summary>The ErrorId of a failure no kind describes (a defect of the module).</summary>
    public const string UnexpectedErrorId = "GptImage.UnexpectedError";

    /// <summary>Every ErrorId a cmdlet reports: one per kind of client error, a missing key and an unexpected error.</summary>
    public static IReadOnlyList<string> ErrorIds { get; } =
        Kinds().Select(GptImageException.IdOf).Concat(new[] { MissingApiKeyId, UnexpectedErrorId }).ToArray();

    private static IEnumerable<GptImageErrorKind> Kinds() =>
#if NET
        Enum.GetValues<GptImageErrorKind>();
#else
        Enum.GetValues(typeof(GptImageErrorKind)).Cast<GptImageErrorKind>();
#endif

    /// <summary>The ErrorCategory member name for a kind of failure.</summary>
    public static string Category(GptImageErrorKind kind) => kind switch
    {
        GptImageErrorKind.AuthenticationFailed => "AuthenticationError",
        GptImageErrorKind.Forbidden => "PermissionDenied",
        GptImageErrorKind.InsufficientBalance => "QuotaExceeded",
        GptImageErrorKind.RateLimited => "LimitsExceeded",
        GptImageErrorKind.InvalidParameter => "InvalidArgument",
        GptImageErrorKind.TaskFailed => "InvalidResult",
        GptImageErrorKind.ContentModerated => "InvalidData",
        GptImageErrorKind.Timeout => "OperationTimeout",
        GptImageErrorKind.TransportFailed => "ConnectionError",
        GptImageErrorKind.SubmitOutcomeUnknown => "ConnectionError",
        GptImageErrorKind.NotFound => "ObjectNotFound",
        GptImageErrorKind.InvalidResponse => "InvalidResult",
        GptImageErrorKind.ServiceUnavailable => "ResourceUnavailable",
        GptImageErrorKind.FileNotFound => "ObjectNotFound",
        GptImageErrorKind.InvalidFile => "InvalidData",
        GptImageErrorKind.FileExists => "ResourceExists",
        GptImageErrorKind.DownloadFailed => "ReadError",
        GptImageErrorKind.UnsafeResponse => "SecurityError",
        GptImageErrorKind.FileNotReadable => "PermissionDenied",
        GptImageErrorKind.DestinationNotWritable => "WriteError",
        GptImageErrorKind.NotSupported => "InvalidOperation",
        _ => "NotSpecified",
    };

    /// <summary>What to do about a kind of failure.</summary>
    public static string? RecommendedAction(GptImageErrorKind kind) => kind switch
    {
        GptImageErrorKind.AuthenticationFailed => "Check the key: Connect-GptImage -ApiKey (Get-Secret WaveSpeed), or set WAVESPEED_API_KEY.",
        GptImageErrorKind.InsufficientBalance => "Top up the account balance.",
        GptImageErrorKind.RateLimited => "Lower the concurrency (Connect-GptImage -MaxTasksInFlight) or raise -MaximumRetryCount.",
        GptImageErrorKind.SubmitOutcomeUnknown => "Check the account's recent predictions before submitting again: a task may exist and be charged.",
        GptImageErrorKind.Timeout => "The task keeps running on the service: query it later with Get-GptImagePrediction, or raise -TimeoutSec.",
        GptImageErrorKind.FileExists => "Use -Force to overwrite, or another -OutputDirectory or -FileNameTemplate.",
        GptImageErrorKind.ContentModerated => "Change the prompt or the input image.",
        GptImageErrorKind.UnsafeResponse => "Nothing was fetched or written: check that the base URI (Connect-GptImage -BaseUri) is the provider's, and report the answer to it.",
        GptImageErrorKind.FileNotReadable => "Check the file's permissions, or whether another program holds it.",
        GptImageErrorKind.DestinationNotWritable => "Choose a folder you can write to (-OutputDirectory), or fix its permissions.",
        GptImageErrorKind.DownloadFailed => "Save the prediction again later: Save-GptImage takes it (it is the error's target when the task was paid).",
        GptImageErrorKind.NotSupported => "Use -Provider WaveSpeed, or Connect-GptImage -Provider WaveSpeed.",
        _ => null,
    };

    /// <summary>An ErrorInfo for a client error about <paramref name="target"/>.</summary>
    public static ErrorInfo ToErrorInfo(GptImageException exception, object? target, bool terminating = false) =>
        new(exception, exception.ErrorId, Category(exception.Kind), target)
        {
            RecommendedAction = RecommendedAction(exception.Kind),
            Terminating = terminating,
        };

    /// <summary>The error for a missing key: terminating, saying how to set one.</summary>
    public static ErrorInfo MissingKey(ProviderKind provider) =>
        new(new GptImageException(GptImageErrorKind.AuthenticationFailed,
                $"No API key for {provider}. Pass -ApiKey, run Connect-GptImage -ApiKey (Get-Secret {provider}), or set the {ClientOptions.KeyVariable(provider)} environment variable."),
            MissingApiKeyId, "AuthenticationError", null)
        {
            Terminating = true,
            RecommendedAction = $"Connect-GptImage -ApiKey (Get-Secret {provider}), or set {ClientOptions.KeyVariable(provider)}.",
        };
}
