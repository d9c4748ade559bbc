using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Commands.Completers;
using GptImage.Http;
using GptImage.Operations;
using GptImage.Requests;

namespace GptImage.Commands;

/// <summary>Edits images with a prompt.</summary>
[Cmdlet(VerbsData.Edit, "GptImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(Prediction))]
public sealed class EditGptImageCommand : ImageCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string UriSet = "Uri";
    private EditImageOperation? _operation;

    /// <summary>Input image files.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Input image files, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Input images by http(s) URL.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UriSet)]
    [ValidateNotNullOrEmpty]
    public Uri[] Uri { get; set; } = Array.Empty<Uri>();

    /// <summary>What to change (up to 32000 characters).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = string.Empty;

    /// <summary>A PNG (path or URL) whose fully transparent pixels mark where to edit.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyCellTransformation]
    public string? Mask { get; set; }

    /// <summary>high or low.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InputFidelityCompleter))]
    [EmptyCellTransformation]
    public string? InputFidelity { get; set; }

    /// <summary>Use all input images (from every pipeline record) as the references of one edit, instead of one edit per image.</summary>
    [Parameter]
    public SwitchParameter CombineImages { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // A prompt each input brings (a CSV column) is not bound yet: the shared settings are checked with a stand-in.
        var settings = BeginCall(template => Complete(template) with { Prompt = string.IsNullOrEmpty(Prompt) ? "(each input's prompt)" : Prompt }).Settings;
        _operation = new EditImageOperation(Runner, Client, settings, CombineImages);
    }

    /// <summary>The template with this cmdlet's own parameters as they are bound now (the record's and the command line's).</summary>
    private ImageTemplate Complete(ImageTemplate template) =>
        template with { Prompt = Prompt, InputFidelity = InputFidelity, Mask = Mask is null ? null : MaskSource(Mask) };

    /// <inheritdoc />
    private protected override IEnumerable<(string Name, object? Value)> RowValues() =>
        base.RowValues().Concat(new (string, object?)[] { (nameof(Prompt), Prompt), (nameof(Mask), Mask), (nameof(InputFidelity), InputFidelity) });

    private ImageSource MaskSource(string mask) =>
        System.Uri.TryCreate(mask, UriKind.Absolute, out var maskUri) && Untrusted.IsWeb(maskUri)
            ? ImageSource.FromUri(maskUri)
            : ImageSource.FromFile(FileSystemPath(mask));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (CurrentRow(Complete) is { } row) { _operation!.Process(row.Template, ResolveInputs(), row.Target, row.Settings); }
        Runner.Pump();
    }

    private List<ImageSource> ResolveInputs() => ParameterSetName switch
    {
        UriSet => Collect(Uri, uri => new[] { ImageSource.FromUri(uri) }),
        LiteralPathSet => Collect(LiteralPath, path => new[] { ImageSource.FromFile(FileSystemPath(path)) }),
        _ => Collect(Path, pattern => FileSystemPaths(pattern).Select(ImageSource.FromFile)),
    };

    /// <summary>The images of each input; an input that names none is a non-terminating error about it.</summary>
    private List<ImageSource> Collect<T>(IEnumerable<T> inputs, Func<T, IEnumerable<ImageSource>> resolve)
    {
        var sources = new List<ImageSource>();
        foreach (var input in inputs)
        {
            try { sources.AddRange(resolve(input)); }
            catch (GptImageException e) { WriteError(ErrorRecords.From(e, input)); }
            catch (ItemNotFoundException e) { WriteError(ErrorRecords.From(new GptImageException(GptImageErrorKind.FileNotFound, e.Message, innerException: e), input)); }
        }
        return sources;
    }

    private static GptImageException NotAFile(string path) =>
        GptImageException.InvalidParameter("Path", $"'{path}' is not a file system path: images are read from files, or from URLs with -Uri.");

    /// <summary>The file system path of a -LiteralPath or -Mask (which need not exist yet); another provider's path is refused.</summary>
    private string FileSystemPath(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        return provider.Name == "FileSystem" ? resolved : throw NotAFile(path);
    }

    /// <summary>The files a -Path pattern matches (none is an error, as for Get-Item); another provider's path is refused.</summary>
    private IEnumerable<string> FileSystemPaths(string pattern)
    {
        var resolved = GetResolvedProviderPathFromPSPath(pattern, out var provider);
        if (provider.Name != "FileSystem") { throw NotAFile(pattern); }
        return resolved.Count > 0 ? resolved
            : throw new GptImageException(GptImageErrorKind.FileNotFound, $"No file matches '{pattern}'. To take brackets literally, use -LiteralPath.");
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _operation!.End();
}
