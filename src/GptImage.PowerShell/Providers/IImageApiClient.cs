using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Requests;

namespace GptImage.Providers;

/// <summary>
/// One image provider behind a connection. Every call takes a CancellationToken and throws
/// <see cref="GptImageException"/> (or OperationCanceledException when cancelled). A client holds nothing to
/// dispose: what it uses (the HttpClient, the caches, the in-flight cap) is the connection's, shared across calls.
/// </summary>
internal interface IImageApiClient
{
    /// <summary>Which provider this is.</summary>
    ProviderKind Kind { get; }

    /// <summary>Uploads local inputs, submits the task once, and returns the prediction as first answered.</summary>
    Task<Prediction> SubmitAsync(ImageRequest request, CancellationToken cancellationToken);

    /// <summary>The current state of a prediction: one query.</summary>
    Task<Prediction> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the prediction is final, for as long as <paramref name="cancellationToken"/> allows (the one deadline
    /// is the caller's), and returns it as it ended. Saving is the caller's decision: when it will save, it passes
    /// <paramref name="streamTo"/>, and outputs the final answer carries inline (WaveSpeed's base64) may be written
    /// there at once, shown by the Files of the prediction returned; the caller saves the rest with <see cref="SaveAsync"/>.
    /// </summary>
    Task<Prediction> WaitAsync(Prediction prediction, SaveOptions? streamTo, CancellationToken cancellationToken);

    /// <summary>Saves a completed prediction's outputs; returns a copy of it with its Files (the one given is not changed).</summary>
    Task<Prediction> SaveAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken);
}
