using System;

namespace GptImage.Operations;

/// <summary>
/// An error as a cmdlet reports it, before it is an ErrorRecord: what failed (<see cref="Kind"/>, null for a
/// defect no kind describes), its stable ErrorId and the input it is about. <see cref="Of"/> is the one way in;
/// the cmdlet layer's <c>ErrorRecords.From</c> is the one way out.
/// </summary>
internal sealed class ErrorInfo
{
    private ErrorInfo(Exception exception, GptImageErrorKind? kind, string errorId, string? recommendedAction, object? target)
    {
        Exception = exception;
        Kind = kind;
        ErrorId = errorId;
        SpecificAction = recommendedAction;
        Target = target;
    }

    /// <summary>The error of <paramref name="exception"/> about <paramref name="target"/>: a GptImageException keeps its kind and ErrorId; anything else is GptImage.UnexpectedError.</summary>
    public static ErrorInfo Of(Exception exception, object? target) => exception switch
    {
        null => throw new ArgumentNullException(nameof(exception)),
        GptImageException e => new ErrorInfo(e, e.Kind, e.ErrorId, e.RecommendedAction, target),
        _ => new ErrorInfo(exception, null, GptImageException.UnexpectedErrorId, null, target),
    };

    /// <summary>The exception (its message is the error's message).</summary>
    public Exception Exception { get; }
    /// <summary>What failed; null for an unexpected error (a defect of the module).</summary>
    public GptImageErrorKind? Kind { get; }
    /// <summary>The stable ErrorId, e.g. GptImage.TaskFailed.</summary>
    public string ErrorId { get; }
    /// <summary>Advice that belongs to this error in particular (the kind's general advice applies otherwise).</summary>
    public string? SpecificAction { get; }
    /// <summary>The input the error is about.</summary>
    public object? Target { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ErrorId}: {Exception.Message}";
}
