using System;
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

    /// <summary>Polls until the prediction is final or <paramref name="timeout"/> passes; saves its outputs when asked.</summary>
    Task<Prediction> WaitAsync(Prediction prediction, TimeSpan timeout, SaveOptions? save, CancellationToken cancellationToken);

    /// <summary>Saves a completed prediction's outputs and sets its Files.</summary>
    Task<Prediction> SaveAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken);
}
