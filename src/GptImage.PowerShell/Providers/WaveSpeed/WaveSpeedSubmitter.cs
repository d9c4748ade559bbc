using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Polling;
using GptImage.Requests;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// A WaveSpeed submit: local inputs uploaded, the body built from the request, one paid POST (never sent twice, see
/// <see cref="RetryMode.Submit"/>) within the connection's cap on tasks in flight, and a sync-mode 504 recovered.
/// </summary>
internal sealed class WaveSpeedSubmitter
{
    private readonly ApiTransport _transport;
    private readonly GptImageConnection _connection;
    private readonly MediaUploader _uploader;
    private readonly WaveSpeedResults _results;
    private readonly SyncModeRecovery _recovery;

    public WaveSpeedSubmitter(ApiTransport transport, GptImageConnection connection, WaveSpeedResults results, WaveSpeedAccount account)
    {
        _transport = transport;
        _connection = connection;
        _uploader = new MediaUploader(transport, connection);
        _results = results;
        _recovery = new SyncModeRecovery(transport, account, connection.Known);
    }

    public async Task<Prediction> SubmitAsync(ImageRequest request, Func<string, CancellationToken, Task<bool>> isFinal, CancellationToken cancellationToken)
    {
        // Every local input is checked before anything is uploaded or submitted.
        request.CheckLocalFiles();
        var images = new List<string>();
        foreach (var image in request.Images)
        {
            images.Add(await ResolveAsync(image, cancellationToken).ConfigureAwait(false));
        }
        var mask = request.Mask is null ? null : await ResolveAsync(request.Mask, cancellationToken).ConfigureAwait(false);
        var body = RequestBody(request, images, mask);
        var url = _transport.Url.Path("api/v3").Path(request.Spec.ApiModelId);
        var submitUri = (request.Webhook is null ? url : url.Query("webhook", request.Webhook.AbsoluteUri)).ToUri();

        var slots = _connection.Slots;
        await slots.AcquireAsync(isFinal, cancellationToken).ConfigureAwait(false);
        Prediction? prediction = null;
        try
        {
            _transport.Log(() => $"Submitting {request.Describe()}");
            var submittedAt = DateTimeOffset.UtcNow;
            var sentAt = Stopwatch.GetTimestamp();
            var answered = await _transport.SendAsync<Prediction?>(
                () => new HttpRequestMessage(HttpMethod.Post, submitUri) { Content = ApiTransport.JsonContent(body) },
                RetryMode.Submit, async response =>
                {
                    if (request.SyncMode && response.Status == 504) { return null; }
                    await _transport.ThrowForStatusAsync(response, null, submit: true).ConfigureAwait(false);
                    return await _results.ReadAsync(response, Priced(request), submit: true).ConfigureAwait(false);
                }, cancellationToken,
                timeout: request.SyncMode ? _transport.Options.RequestTimeout + TimeSpan.FromSeconds(30) : (TimeSpan?)null).ConfigureAwait(false);
            // The task started between the request and its answer: counting from the answer never looks before its
            // end. A sync-mode answer comes when the task ends or the gateway gives up, so that one counts from the request.
            var answeredAt = request.SyncMode ? sentAt : Stopwatch.GetTimestamp();
            if (answered is null)
            {
                var id = await _recovery.FindAsync(request.Spec.ApiModelId, submittedAt, cancellationToken).ConfigureAwait(false);
                answered = Priced(request, id, PredictionStatus.Processing, _results.ResultUri(id));
            }
            prediction = answered.WithSubmit(answeredAt,
                LatencyEstimator.KeyOf(_transport.Options.BaseUri, request.Spec.ApiModelId, request.Size ?? request.Spec.DefaultSize, request.EffectiveQuality));
            lock (_connection.Known) { _connection.Known.Add(prediction.Id); }
            var submitted = prediction;
            _transport.Log(() => $"Submitted {submitted.Id}: {submitted.Status}");
            return prediction;
        }
        finally
        {
            if (prediction is null) { slots.Unreserve(); }
            else { slots.Register(prediction.Id, prediction.IsFinal); }
        }
    }

    private async Task<string> ResolveAsync(ImageSource source, CancellationToken cancellationToken) =>
        source.Uri is not null
            ? source.Uri.ToString()
            : (await _uploader.UploadAsync(source.LocalPath!, cancellationToken).ConfigureAwait(false)).ToString();

    internal static string RequestBody(ImageRequest request, IReadOnlyList<string> images, string? mask) => JsonFields.Body(json =>
    {
        json.WriteString("prompt", request.Prompt);
        if (request.WireSize is { } size) { json.WriteString("size", size); }
        if (request.AspectRatio is { } ratio) { json.WriteString("aspect_ratio", ratio); }
        if (request.Resolution is { } resolution) { json.WriteString("resolution", resolution); }
        if (request.Quality is { } quality) { json.WriteString("quality", quality); }
        if (request.Background is { } background) { json.WriteString("background", background); }
        if (request.InputFidelity is { } fidelity) { json.WriteString("input_fidelity", fidelity); }
        switch (request.Spec.Images)
        {
            case ImageParameter.One:
                json.WriteString("image", images[0]);
                break;
            case ImageParameter.Many:
                json.WriteStartArray("images");
                foreach (var image in images) { json.WriteStringValue(image); }
                json.WriteEndArray();
                break;
            default:
                break;
        }
        if (mask is not null) { json.WriteString("mask_image", mask); }
        json.WriteBoolean("enable_sync_mode", request.SyncMode);
        json.WriteBoolean("enable_base64_output", request.Base64Output);
    }, request.AdditionalParameters);

    /// <summary>The prediction a request makes, at the model's published price per image (named as an estimate).</summary>
    private static Prediction Priced(ImageRequest request, string id = "", string status = PredictionStatus.Created, Uri? resultUri = null)
    {
        var (usd, usdSource) = request.Spec.Estimate(request.Size, request.Quality, request.Count ?? 1);
        return new Prediction(request.Asked) { Id = id, Status = status, ResultUri = resultUri, Usd = usd, UsdSource = usdSource };
    }
}
