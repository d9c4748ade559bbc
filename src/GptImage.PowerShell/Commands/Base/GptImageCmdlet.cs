using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
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

    /// <summary>
    /// Ctrl+C: cancels the work and, once it has ended, tells what it leaves behind (paid tasks still running or unsaved).
    /// PowerShell refuses Write* once a pipeline stops, so the warning goes to the host, as PowerShell's own stop notice does.
    /// </summary>
    protected override void StopProcessing()
    {
        if (_runner?.Stop() is { } warning) { Host?.UI?.WriteWarningLine(warning); }
    }

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

    void ICmdletSink.WriteObject(object value)
    {
        switch (value)
        {
            case FileInfo file:
                WriteObject(AsProviderItem(file));
                return;
            case Prediction prediction:
                foreach (var file in prediction.Files) { AsProviderItem(file); }
                break;
        }
        WriteObject(value);
    }

    /// <summary>
    /// The file as Get-Item gives it: the note properties the FileSystem provider adds (PSPath, PSParentPath, PSChildName,
    /// PSDrive, PSProvider, PSIsContainer, and UnixStat off Windows) are added to the FileInfo itself (PowerShell keeps
    /// them with the object), so the default view groups it by folder with its Mode and Length (UnixMode and Size off
    /// Windows), and it pipes to Copy-Item, Remove-Item and the rest by its PSPath.
    /// </summary>
    private PSObject AsProviderItem(FileInfo file)
    {
        var item = PSObject.AsPSObject(file);
        if (item.Properties["PSPath"] is not null) { return item; }
        try
        {
            var got = SessionState.InvokeProvider.Item.Get(new[] { file.FullName }, true, true);
            if (got.Count != 1) { return item; }
            // The PS* properties, and on Unix the UnixStat its UnixMode, User, Group and Size columns are read from.
            foreach (var property in got[0].Properties.Where(p => p is PSNoteProperty))
            {
                item.Properties.Add(new PSNoteProperty(property.Name, property.Value));
            }
        }
        catch (Exception e) when (e is ItemNotFoundException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderInvocationException or UnauthorizedAccessException or IOException)
        {
            // Gone or unreadable since it was written: written as the plain FileInfo.
        }
        return item;
    }

    void ICmdletSink.WriteError(ErrorInfo errorInfo) => WriteError(ErrorRecords.From(errorInfo));

    void ICmdletSink.WriteVerbose(string text)
    {
        NoPromptPerRecord();
        WriteVerbose(text);
    }

    void ICmdletSink.WriteWarning(string text)
    {
        NoPromptPerRecord();
        WriteWarning(text);
    }

    /// <summary>WriteDebug: the request bodies of -Debug.</summary>
    void ICmdletSink.WriteDebug(string text)
    {
        if (!NoPromptPerRecord() && Host?.UI is { } ui)
        {
            ui.WriteDebugLine(text);
            return;
        }
        WriteDebug(text);
    }

    private bool? _noPromptPerRecord;

    /// <summary>
    /// -Debug asks to see what a call does, yet it gives a compiled cmdlet the preference Inquire, one prompt per record:
    /// for debug records on Windows PowerShell 5.1, for verbose records and warnings on PowerShell 7 too. Where -Debug
    /// was given, each of this cmdlet's preferences that is Inquire becomes Continue (-Verbose, -WarningAction given
    /// keep theirs); false when that cannot be done, and debug lines then go to the host as Continue would show them.
    /// A preference the user set without -Debug is left as it is.
    /// </summary>
    private bool NoPromptPerRecord() =>
        _noPromptPerRecord ??= !DebugGiven || ShowInsteadOfAsking(CommandRuntime, MyInvocation.BoundParameters.ContainsKey("WarningAction"));

    private static bool ShowInsteadOfAsking(object? runtime, bool warningActionGiven)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        try
        {
            var type = runtime?.GetType();
            var debug = type?.GetProperty("DebugPreference", flags);
            if (debug is not { CanRead: true, CanWrite: true }) { return false; }
            if (PreferenceFor(true, (ActionPreference)debug.GetValue(runtime)!) is { } shown) { debug.SetValue(runtime, shown); }
            var warning = type!.GetProperty("WarningPreference", flags);
            if (!warningActionGiven && warning is { CanRead: true, CanWrite: true } && PreferenceFor(true, (ActionPreference)warning.GetValue(runtime)!) is { } warn) { warning.SetValue(runtime, warn); }
            // The verbose preference has no setter: -Verbose's own flag is what makes it Continue.
            var verbose = type.GetProperty("VerbosePreference", flags);
            if (verbose is { CanRead: true } && PreferenceFor(true, (ActionPreference)verbose.GetValue(runtime)!) is not null)
            {
                type.GetProperty("Verbose", flags)?.SetValue(runtime, true);
            }
            return true;
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MemberAccessException or InvalidCastException or NullReferenceException)
        {
            return false;
        }
    }

    /// <summary>The preference records are written with: Continue where -Debug was given and means Inquire; null to keep it.</summary>
    internal static ActionPreference? PreferenceFor(bool debugGiven, ActionPreference preference) =>
        debugGiven && preference == ActionPreference.Inquire ? ActionPreference.Continue : null;

    /// <summary>Whether -Debug was given (and not as -Debug:$false).</summary>
    private bool DebugGiven => MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && debug is SwitchParameter { IsPresent: true } or true;

    /// <summary>Whether anyone reads debug lines: -Debug, or a $DebugPreference that shows them; lines are not built otherwise.</summary>
    private protected bool DebugWanted => MyInvocation.BoundParameters.ContainsKey("Debug")
        ? DebugGiven
        : GetVariableValue("DebugPreference") is ActionPreference preference && preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

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
