using System.Collections.Generic;
using System.IO;
using System.Linq;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Operations;

/// <summary>Edit-GptImage: one edit per input image, or all inputs as the references of one edit.</summary>
internal sealed class EditImageOperation : PredictionOperation
{
    private readonly bool _combine;
    private readonly List<ImageSource> _collected = new();
    private (ImageTemplate Template, WaitSettings Settings)? _combined;

    /// <summary>Creates the operation: <paramref name="combine"/> makes all inputs one edit; <paramref name="settings"/> are the call's.</summary>
    public EditImageOperation(OperationRunner runner, IImageApiClient client, WaitSettings settings, bool combine)
        : base(runner, client, settings, settings.Waits ? "Editing images" : "Submitting edit tasks", ActivityIds.Edit) =>
        _combine = combine;

    /// <summary>
    /// The images of one pipeline record (pipeline thread), edited with <paramref name="template"/>: the prompt, mask
    /// and settings this record bound (a CSV row's) and the call's. A value the rules refuse is a non-terminating error
    /// about <paramref name="target"/> (the row; null: the image); <paramref name="settings"/> are the record's own
    /// waiting and saving (null: the call's). Combined, the first record's values make the one edit.
    /// </summary>
    public void Process(ImageTemplate template, IEnumerable<ImageSource> images, object? target = null, WaitSettings? settings = null)
    {
        var own = settings ?? Settings;
        foreach (var image in images)
        {
            if (_combine)
            {
                _combined ??= (template, own);
                _collected.Add(image);
            }
            else { Edit(template, own, new[] { image }, target); }
        }
    }

    /// <inheritdoc />
    protected override void OnEnd()
    {
        if (_combined is { } first && _collected.Count > 0) { Edit(first.Template, first.Settings, _collected.ToArray(), null); }
    }

    private void Edit(ImageTemplate template, WaitSettings settings, IReadOnlyList<ImageSource> images, object? target)
    {
        var first = images[0].ToString();
        ImageRequest request;
        try
        {
            request = template.Edit(images);
            request.CheckLocalFiles();
        }
        catch (GptImageException e)
        {
            Reject(e, target ?? first);
            return;
        }
        if (!Accepts(template, settings, target ?? first)) { return; }
        var label = images.Count == 1 ? first : $"{images.Count} images ({string.Join(", ", images.Select(i => Path.GetFileName(i.ToString())))})";
        Submit(request, target ?? first, label, settings);
    }
}
