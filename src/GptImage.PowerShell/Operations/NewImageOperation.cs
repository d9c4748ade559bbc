using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Operations;

/// <summary>New-GptImage: one text-to-image task per prompt, each with the settings of its own input.</summary>
internal sealed class NewImageOperation : PredictionOperation
{
    /// <summary>Creates the operation: <paramref name="settings"/> are the call's (an input may bring its own).</summary>
    public NewImageOperation(OperationRunner runner, IImageApiClient client, WaitSettings settings)
        : base(runner, client, settings, settings.Waits ? "Generating images" : "Submitting image tasks", ActivityIds.New)
    {
    }

    /// <summary>
    /// One input (pipeline thread): <paramref name="prompt"/> fills in <paramref name="template"/>, the values this input
    /// bound (a CSV row's size, quality…) and the call's; its request is validated, ShouldProcess asked, and the task
    /// started. A value the rules refuse is a non-terminating error about <paramref name="target"/> alone (the row, or
    /// the prompt); <paramref name="settings"/> are the input's own waiting and saving (null: the call's).
    /// </summary>
    public void Process(ImageTemplate template, string prompt, object? target = null, WaitSettings? settings = null)
    {
        target ??= prompt;
        var own = settings ?? Settings;
        ImageRequest request;
        try
        {
            request = template.Generate(prompt);
        }
        catch (GptImageException e)
        {
            Reject(e, target);
            return;
        }
        if (!Accepts(template, own, target)) { return; }
        Submit(request, target, Shorten(prompt), own);
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
}
