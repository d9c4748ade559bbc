using System;
using System.Management.Automation;
using GptImage.Files;
using GptImage.Operations;

namespace GptImage.Commands.Base;

/// <summary>A cmdlet that waits and saves: timeout and output location parameters.</summary>
public abstract class SavingCmdlet : ServiceCmdlet
{
    /// <summary>The longest time each input may take, in seconds (default 600).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TimeoutSec { get; set; } = 600;

    /// <summary>The folder outputs are saved to (created when missing).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    /// <summary>The file the image is saved to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public virtual string? OutFile { get; set; }

    /// <summary>The output file name (without extension) with {id}, {index}, {source} (an edit's input file name followed by a dash), {model} and {date}, in any case.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FileNameTemplate { get; set; }

    /// <summary>Overwrite existing files.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The wait and save settings of this call; invalid output parameters stop the cmdlet.</summary>
    private protected WaitSettings WaitSettings(bool wait) => OrStop(() => CurrentWaitSettings(wait));

    /// <summary>The wait and save settings of the parameters as they are bound now; throws InvalidParameter when they are not valid.</summary>
    private protected WaitSettings CurrentWaitSettings(bool wait)
    {
        var directory = UnresolvedPath(OutputDirectory);
        var outFile = UnresolvedPath(OutFile);
        return new WaitSettings
        {
            Wait = wait,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            Save = SaveOptions.FromParameters(directory, outFile, FileNameTemplate, Force),
        };
    }
}
