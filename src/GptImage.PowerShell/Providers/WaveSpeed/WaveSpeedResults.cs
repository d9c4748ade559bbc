using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Polling;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// WaveSpeed's prediction answers: the result query (read inside the transport's one retry loop) and the reading of
/// an answer, submit or result, into a new prediction; base64 outputs are streamed straight to their files when asked.
/// </summary>
internal sealed class WaveSpeedResults
{
    private readonly ApiTransport _transport;
    private readonly TaskSlots _slots;

    public WaveSpeedResults(ApiTransport transport, TaskSlots slots)
    {
        _transport = transport;
        _slots = slots;
    }

    /// <summary>
    /// The documented result path of a task, built from its id: the answer's urls.get is shown on the prediction but
    /// never followed, so no answer chooses where the key is sent next.
    /// </summary>
    public Uri ResultUri(string id) => _transport.Url.Path("api/v3/predictions").Segment(id).Path("result").ToUri();

    /// <summary>
    /// One result query. An answer that breaks off is asked for again by the transport's retry loop; one read whole but
    /// invalid (bad JSON, invalid base64) is not. For a base64 prediction with <paramref name="save"/>, the outputs are
    /// streamed straight to their files, and the prediction returned has its Files.
    /// </summary>
    public Task<Prediction> QueryAsync(Prediction known, SaveOptions? save, CancellationToken cancellationToken)
    {
        var uri = ResultUri(known.Id);
        return _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent, async response =>
        {
            if (response.Status == 404)
            {
                throw new GptImageException(GptImageErrorKind.NotFound,
                    $"Prediction {known.Id} was not found (404): the id is wrong, or the service deleted it (after 7 days).", known.Id, 404);
            }
            await _transport.ThrowForStatusAsync(response, known.Id).ConfigureAwait(false);
            var prediction = await ReadAsync(response, known, submit: false, save).ConfigureAwait(false);
            if (prediction.IsFinal) { _slots.Release(prediction.Id); }
            return prediction;
        }, cancellationToken, known.Id);
    }

    /// <summary>
    /// Reads a prediction answer into a new prediction. <paramref name="known"/> is what this session knew of the task
    /// before it: the prediction of the request for a submit, the last one seen for a query.
    /// </summary>
    public async Task<Prediction> ReadAsync(ApiResponse response, Prediction known, bool submit, SaveOptions? save = null)
    {
        // A submit's prediction has no id until this answer gives one.
        var knownId = submit ? null : known.Id;
        var base64 = known.Base64Output;
        byte[] json;
        using var outputs = new Base64Outputs(save?.TargetDirectory, _transport.Options.MaxDownloadBytes);
        using (var stream = await response.ReadBodyAsync().ConfigureAwait(false))
        {
            if (base64)
            {
                json = await outputs.ReadAsync(stream, null, response.Token).ConfigureAwait(false);
            }
            else
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, 81920, response.Token).ConfigureAwait(false);
                json = copy.ToArray();
            }
        }
        var prediction = WaveSpeedPredictions.From(WaveSpeedPredictions.ParseAnswer(json, response, knownId, submit), known, base64, json, _transport.Redact);
        if (save is null || prediction.Status != PredictionStatus.Completed || outputs.Count == 0) { return prediction; }
        try
        {
            return prediction.WithFiles(outputs.Commit((index, format) => save.SavePath(prediction, index, format), save.Overwrite, prediction.Id));
        }
        catch (GptImageException e)
        {
            throw e.SavingFailed(prediction);
        }
    }
}
