using System.Collections.Generic;
using System.IO;
using System.Linq;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Operations;

/// <summary>Edit-GptImage: one edit per input image, or all inputs as the references of one edit.</summary>
internal sealed class EditImageOperation : PredictionOperation
{
    private readonly ImageTemplate _template;
    private readonly bool _combine;
    private readonly List<ImageSource> _collected = new();

    /// <summary>Creates the operation: the images fill in <paramref name="template"/>; <paramref name="combine"/> makes all inputs one edit.</summary>
    public EditImageOperation(OperationRunner runner, IImageApiClient client, ImageTemplate template, WaitSettings settings, bool combine)
        : base(runner, client, settings, settings.Waits ? "Editing images" : "Submitting edit tasks", ActivityIds.Edit)
    {
        _template = template;
        _combine = combine;
    }

    /// <summary>The inputs of one pipeline record (pipeline thread).</summary>
    public void Process(IEnumerable<ImageSource> images)
    {
        foreach (var image in images)
        {
            if (_combine) { _collected.Add(image); }
            else { Edit(new[] { image }); }
        }
    }

    /// <inheritdoc />
    protected override void OnEnd()
    {
        if (_combine && _collected.Count > 0) { Edit(_collected.ToArray()); }
    }

    private void Edit(IReadOnlyList<ImageSource> images)
    {
        var first = images[0].ToString();
        ImageRequest request;
        try
        {
            request = _template.Edit(images);
            request.CheckLocalFiles();
        }
        catch (GptImageException e)
        {
            Reject(e, first);
            return;
        }
        var label = images.Count == 1 ? first : $"{images.Count} images ({string.Join(", ", images.Select(i => Path.GetFileName(i.ToString())))})";
        Submit(request, first, label);
    }
}
