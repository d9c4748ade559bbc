using GptImage.Files;
using GptImage.Operations;
using GptImage.Providers;

namespace GptImage.Tests.Client;

/// <summary>What an operation does for one input once it is submitted, for tests that drive a client directly.</summary>
internal static class ClientWaiting
{
    /// <summary>
    /// Waits and saves as the operations do (<see cref="PredictionOperation.WaitAndSaveAsync"/>), within a deadline:
    /// the client is bounded by the token only, so the deadline passing is an OperationCanceledException here (an
    /// operation reports it as GptImage.Timeout).
    /// </summary>
    public static async Task<Prediction> WaitAndSaveAsync(this IImageApiClient client, Prediction prediction, TimeSpan timeout, SaveOptions? save,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return await PredictionOperation.WaitAndSaveAsync(client, prediction, save, deadline.Token);
    }
}
