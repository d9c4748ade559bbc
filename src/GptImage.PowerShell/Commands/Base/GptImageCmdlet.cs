using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Operations;

namespace GptImage.Commands.Base;

/// <summary>
/// The base of every GptImage cmdlet, in the style of an AsyncPSCmdlet: logic runs on the thread pool
/// through an <see cref="OperationRunner"/>, everything it writes is pumped on the pipeline thread, and
/// StopProcessing (Ctrl+C) cancels it. It is the sink the logic writes to.
/// </summary>
public abstract class GptImageCmdlet : PSCmdlet, ICmdletSink, IDisposable
{
    private OperationRunner? _runner;

    /// <summary>The runner of this invocation.</summary>
    private protected OperationRunner Runner => _runner ??= new OperationRunner(this);

    /// <inheritdoc />
    protected override void StopProcessing() => _runner?.Stop();

    /// <summary>
    /// The value <paramref name="make"/> returns; when it refuses a setting every input shares, the cmdlet stops with
    /// that error (terminating, before any input is read or anything is sent).
    /// </summary>
    protected T OrStop<T>(Func<T> make)
    {
        try
        {
            return make();
        }
        catch (GptImageException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>Runs <paramref name="check"/>; when it refuses a setting, the cmdlet stops with that error.</summary>
    protected void ValidateOrThrow(Action check) => OrStop(() =>
    {
        check();
        return true;
    });

    /// <summary>Runs one piece of work and writes everything it posts until it ends (a cmdlet with one call to make).</summary>
    protected void RunToEnd(Func<CancellationToken, Task> work, object? target)
    {
        Runner.Start(work, target);
        Runner.Drain(TimeSpan.FromSeconds(1), _ => { });
        Runner.Pump();
    }

    /// <summary>The provider path of a -Path-like parameter that may not exist yet.</summary>
    protected string? UnresolvedPath(string? path) =>
        string.IsNullOrEmpty(path) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    void ICmdletSink.WriteObject(object value) => WriteObject(value);

    void ICmdletSink.WriteError(ErrorInfo errorInfo) => WriteError(ErrorRecords.From(errorInfo));

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
