using System;

namespace GptImage.Operations;

/// <summary>
/// Where cmdlet logic sends what a cmdlet writes. The cmdlet implements it with Write* on the pipeline
/// thread; tests implement it with a recording sink. Nothing here needs System.Management.Automation.
/// </summary>
public interface ICmdletSink
{
    /// <summary>WriteObject.</summary>
    void WriteObject(object value);

    /// <summary>WriteError (or ThrowTerminatingError when <see cref="ErrorInfo.Terminating"/>).</summary>
    void WriteError(ErrorInfo errorInfo);

    /// <summary>WriteVerbose.</summary>
    void WriteVerbose(string text);

    /// <summary>WriteWarning.</summary>
    void WriteWarning(string text);

    /// <summary>WriteProgress.</summary>
    void WriteProgress(ProgressInfo progress);

    /// <summary>ShouldProcess; only ever called on the pipeline thread, before any work for the item starts.</summary>
    bool ShouldProcess(string target, string action);
}

/// <summary>An error as the cmdlet reports it: a full ErrorRecord is built from it.</summary>
public sealed class ErrorInfo
{
    /// <summary>Creates an error description.</summary>
    public ErrorInfo(Exception exception, string errorId, string category, object? target)
    {
        Exception = exception;
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>The exception (its message is the error's message).</summary>
    public Exception Exception { get; }
    /// <summary>The stable ErrorId, e.g. GptImage.TaskFailed.</summary>
    public string ErrorId { get; }
    /// <summary>The name of the System.Management.Automation.ErrorCategory member.</summary>
    public string Category { get; }
    /// <summary>The input the error is about.</summary>
    public object? Target { get; }
    /// <summary>What the user can do about it.</summary>
    public string? RecommendedAction { get; init; }
    /// <summary>Whether nothing can proceed (ThrowTerminatingError).</summary>
    public bool Terminating { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{ErrorId} ({Category}): {Exception.Message}";
}

/// <summary>A progress record, without the PowerShell type.</summary>
public sealed class ProgressInfo
{
    /// <summary>The activity id.</summary>
    public int ActivityId { get; init; }
    /// <summary>The activity.</summary>
    public string Activity { get; init; } = string.Empty;
    /// <summary>The status line.</summary>
    public string Status { get; init; } = string.Empty;
    /// <summary>The current operation, if any.</summary>
    public string? CurrentOperation { get; init; }
    /// <summary>0–100, or -1 when unknown.</summary>
    public int PercentComplete { get; init; } = -1;
    /// <summary>Whether the bar is finished (RecordType Completed).</summary>
    public bool Completed { get; init; }
}
