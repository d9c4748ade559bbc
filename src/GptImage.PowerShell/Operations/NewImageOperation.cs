using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Operations;

/// <summary>New-GptImage: one text-to-image task per prompt.</summary>
internal sealed class NewImageOperation : PredictionOperation
{
    private readonly ImageTemplate _template;

    /// <summary>Creates the operation: each prompt fills in <paramref name="template"/>.</summary>
    public NewImageOperation(OperationRunner runner, IImageApiClient client, ImageTemplate template, WaitSettings settings)
        : base(runner, client, settings, settings.Waits ? "Generating images" : "Submitting image tasks", ActivityIds.New) =>
        _template = template;

    /// <summary>One prompt (pipeline thread): validate, ask ShouldProcess, start.</summary>
    public void Process(string prompt)
    {
        ImageRequest request;
        try
        {
            request = _template.Generate(prompt);
        }
        catch (GptImageException e)
        {
            Reject(e, prompt);
            return;
        }
        Submit(request, prompt, Shorten(prompt));
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
}
