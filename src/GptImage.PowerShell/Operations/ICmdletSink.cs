namespace GptImage.Operations;

/// <summary>
/// Where cmdlet logic sends what a cmdlet writes. The cmdlet implements it with Write* on the pipeline
/// thread; tests implement it with a recording sink. Nothing here needs System.Management.Automation.
/// </summary>
internal interface ICmdletSink
{
    /// <summary>WriteObject.</summary>
    void WriteObject(object value);

    /// <summary>WriteError: a non-terminating error about one input.</summary>
    void WriteError(ErrorInfo errorInfo);

    /// <summary>WriteVerbose.</summary>
    void WriteVerbose(string text);

    /// <summary>WriteDebug (-Debug: request bodies); -Debug shows each record without asking about it.</summary>
    void WriteDebug(string text);

    /// <summary>WriteWarning.</summary>
    void WriteWarning(string text);

    /// <summary>WriteProgress.</summary>
    void WriteProgress(ProgressInfo progress);

    /// <summary>ShouldProcess; only ever called on the pipeline thread, before any work for the item starts.</summary>
    bool ShouldProcess(string target, string action);
}
