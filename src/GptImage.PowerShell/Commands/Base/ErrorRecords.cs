using System.Management.Automation;
using GptImage.Http;
using GptImage.Operations;

namespace GptImage.Commands.Base;

/// <summary>
/// The one place an error becomes a full ErrorRecord: its ErrorId, its category (a switch the compiler checks
/// covers every kind) and what the user can do about it.
/// </summary>
internal static class ErrorRecords
{
    /// <summary>The ErrorRecord of <paramref name="info"/>.</summary>
    public static ErrorRecord From(ErrorInfo info)
    {
        var category = info.Kind is { } kind ? CategoryOf(kind) : ErrorCategory.NotSpecified;
        // The message may quote what a service said: it is shown through the one text cleaner, whoever built it.
        return new ErrorRecord(info.Exception, info.ErrorId, category, info.Target)
        {
            ErrorDetails = new ErrorDetails(Untrusted.Text(info.Exception.Message))
            {
                RecommendedAction = info.SpecificAction ?? (info.Kind is { } k ? RecommendedActionOf(k) : null),
            },
        };
    }

    /// <summary>The ErrorRecord of <paramref name="exception"/> about <paramref name="target"/>.</summary>
    public static ErrorRecord From(GptImageException exception, object? target) => From(ErrorInfo.Of(exception, target));

#pragma warning disable CS8524 // every named kind is listed (CS8509 fails the build when one is missing); a kind cast from a number is not a kind
    /// <summary>The category of a kind of failure.</summary>
    public static ErrorCategory CategoryOf(GptImageErrorKind kind) => kind switch
    {
        GptImageErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
        GptImageErrorKind.Forbidden => ErrorCategory.PermissionDenied,
        GptImageErrorKind.InsufficientBalance => ErrorCategory.QuotaExceeded,
        GptImageErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
        GptImageErrorKind.InvalidParameter => ErrorCategory.InvalidArgument,
        GptImageErrorKind.TaskFailed => ErrorCategory.InvalidResult,
        GptImageErrorKind.ContentModerated => ErrorCategory.InvalidData,
        GptImageErrorKind.Timeout => ErrorCategory.OperationTimeout,
        GptImageErrorKind.TransportFailed => ErrorCategory.ConnectionError,
        GptImageErrorKind.SubmitOutcomeUnknown => ErrorCategory.ConnectionError,
        GptImageErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        GptImageErrorKind.InvalidResponse => ErrorCategory.InvalidResult,
        GptImageErrorKind.ServiceUnavailable => ErrorCategory.ResourceUnavailable,
        GptImageErrorKind.FileNotFound => ErrorCategory.ObjectNotFound,
        GptImageErrorKind.InvalidFile => ErrorCategory.InvalidData,
        GptImageErrorKind.FileExists => ErrorCategory.ResourceExists,
        GptImageErrorKind.DownloadFailed => ErrorCategory.ReadError,
        GptImageErrorKind.UnsafeResponse => ErrorCategory.SecurityError,
        GptImageErrorKind.FileNotReadable => ErrorCategory.PermissionDenied,
        GptImageErrorKind.DestinationNotWritable => ErrorCategory.WriteError,
        GptImageErrorKind.NotSupported => ErrorCategory.InvalidOperation,
    };
#pragma warning restore CS8524

    /// <summary>What to do about a kind of failure, where there is general advice.</summary>
    public static string? RecommendedActionOf(GptImageErrorKind kind) => kind switch
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
}
