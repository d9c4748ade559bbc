using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Files;
using GptImage.Gallery;

namespace GptImage.Commands;

/// <summary>Writes one self-contained HTML page showing a batch of predictions.</summary>
[Cmdlet(VerbsData.Export, "GptImageGallery", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportGptImageGalleryCommand : PSCmdlet
{
    private readonly List<GalleryCard> _cards = new();

    /// <summary>
    /// Predictions from New, Edit, Wait, Get or Save, or from Import-Clixml. $null is skipped: <c>$batch + $failed</c>
    /// works when nothing failed.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject?[]? InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The page's title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the page's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var input in InputObject ?? Array.Empty<PSObject>())
        {
            if (input?.BaseObject is null) { continue; }
            var card = GalleryCardReader.Read(input);
            if (card is null)
            {
                WriteError(ErrorRecords.From(GptImageException.InvalidParameter("InputObject",
                    $"'{input}' is not a prediction (it has no Id and Status): pipe the output of New-GptImage, Edit-GptImage, Wait-GptImagePrediction or Get-GptImagePrediction."), input));
                continue;
            }
            _cards.Add(card);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            Throw(GptImageException.InvalidParameter("Path", $"'{Path}' is on the {provider.Name} provider; the gallery is written to the file system."));
        }
        if (Directory.Exists(target))
        {
            Throw(GptImageException.InvalidParameter("Path", $"'{target}' is a folder; give the path of the HTML file to write."));
        }
        if (!ShouldProcess(target, string.Format(CultureInfo.InvariantCulture, "Write a gallery of {0} prediction(s)", _cards.Count))) { return; }
        var folder = System.IO.Path.GetDirectoryName(target)!;
        var title = Title ?? "GptImage batch, " + DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        FileInfo written;
        try
        {
            AtomicFile.EnsureFree(target, Force);
            using var file = AtomicFile.Create(folder);
            using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
            {
                GalleryPage.Write(writer, title, _cards, folder, new Thumbnails(WriteWarning), ReportProgress);
            }
            written = file.CommitAs(target, Force);
        }
        catch (GptImageException e)
        {
            Throw(e);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Throw(new GptImageException(GptImageErrorKind.InvalidParameter, $"The gallery could not be written to '{target}': {e.Message}", innerException: e));
            return;
        }
        WriteProgress(new ProgressRecord(0, "Writing the gallery", "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Wrote a gallery of {_cards.Count} prediction(s) to {written.FullName} ({written.Length:N0} bytes).");
        if (PassThru) { WriteObject(written); }
    }

    private void ReportProgress(int done)
    {
        if (Stopping) { throw new PipelineStoppedException(); }
        if (done % 10 != 0 || _cards.Count == 0) { return; }
        WriteProgress(new ProgressRecord(0, "Writing the gallery", $"{done} of {_cards.Count} predictions")
        {
            PercentComplete = done * 100 / _cards.Count,
        });
    }

    private void Throw(GptImageException e) => ThrowTerminatingError(ErrorRecords.From(e, Path));
}
