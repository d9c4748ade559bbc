using System;
using System.Management.Automation;
using System.Security;
using GptImage.Client;
using GptImage.Operations;

namespace GptImage.Commands;

/// <summary>
/// The base of every GptImage cmdlet, in the style of an AsyncPSCmdlet: logic runs on the thread pool
/// through an <see cref="OperationRunner"/>, everything it writes is pumped on the pipeline thread, and
/// StopProcessing (Ctrl+C) cancels it. It is the sink the logic writes to.
/// </summary>
public abstract class GptImageCmdlet : PSCmdlet, ICmdletSink, IDisposable
{
    private OperationRunner? _runner;

    /// <summary>The runner of this invocation.</summary>
    protected OperationRunner Runner => _runner ??= new OperationRunner(this);

    /// <inheritdoc />
    protected override void StopProcessing() => _runner?.Stop();

    /// <summary>A provider on the session's connection with this call's settings; a missing key stops the cmdlet.</summary>
    protected IImageApiClient CreateProvider(ProviderKind? provider, SecureString? apiKey, int? maximumRetryCount, int? retryIntervalSec, bool requireKey = true)
    {
        try
        {
            return GptImageSession.CreateProvider(new CallSettings
            {
                Provider = provider,
                ApiKey = apiKey,
                MaximumRetryCount = maximumRetryCount,
                RetryIntervalSec = retryIntervalSec,
                Log = line => Runner.Post(sink => sink.WriteVerbose(line)),
                RequireKey = requireKey,
            });
        }
        catch (MissingApiKeyException e)
        {
            ThrowTerminatingError(ToRecord(ErrorMapping.MissingKey(e.Provider)));
            throw; // not reached
        }
        catch (GptImageException e)
        {
            ThrowTerminatingError(ToRecord(ErrorMapping.ToErrorInfo(e, null, terminating: true)));
            throw;
        }
    }

    /// <summary>Stops the cmdlet when a setting shared by every input is invalid (checked before any input is read).</summary>
    protected void ValidateOrThrow(Action check)
    {
        try
        {
            check();
        }
        catch (GptImageException e)
        {
            ThrowTerminatingError(ToRecord(ErrorMapping.ToErrorInfo(e, null, terminating: true)));
        }
    }

    /// <summary>Runs one piece of work and writes everything it posts until it ends (a cmdlet with one call to make).</summary>
    protected void RunToEnd(Func<System.Threading.CancellationToken, System.Threading.Tasks.Task> work, object? target)
    {
        Runner.Start(work, target);
        Runner.Drain(TimeSpan.FromSeconds(1), _ => { });
        Runner.Pump();
    }

    /// <summary>Builds the ErrorRecord of an <see cref="ErrorInfo"/>.</summary>
    protected static ErrorRecord ToRecord(ErrorInfo info) => ErrorRecords.From(info);

    /// <summary>The provider path of a -Path-like parameter that may not exist yet.</summary>
    protected string? UnresolvedPath(string? path) =>
        string.IsNullOrEmpty(path) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    void ICmdletSink.WriteObject(object value) => WriteObject(value);

    void ICmdletSink.WriteError(ErrorInfo errorInfo)
    {
        var record = ToRecord(errorInfo);
        if (errorInfo.Terminating) { ThrowTerminatingError(record); }
        else { WriteError(record); }
    }

    void ICmdletSink.WriteVerbose(string text) => WriteVerbose(text);

    void ICmdletSink.WriteWarning(string text) => WriteWarning(text);

    void ICmdletSink.WriteProgress(ProgressInfo progress) => WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
    {
        CurrentOperation = progress.CurrentOperation,
        PercentComplete = progress.PercentComplete,
        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    });

    bool ICmdletSink.ShouldProcess(string target, string action) => ShouldProcess(target, action);

    /// <inheritdoc />
    public void Dispose()
    {
        _runner?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The one place an <see cref="ErrorInfo"/> becomes a full ErrorRecord.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ErrorInfo info)
    {
        var category = Enum.TryParse<ErrorCategory>(info.Category, out var parsed) ? parsed : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(info.Exception, info.ErrorId, category, info.Target);
        if (info.RecommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(info.Exception.Message) { RecommendedAction = info.RecommendedAction };
        }
        return record;
    }
}
