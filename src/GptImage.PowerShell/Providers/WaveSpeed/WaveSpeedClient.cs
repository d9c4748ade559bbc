using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Polling;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Providers.WaveSpeed;

/// <summary>WaveSpeed's v3 task API: submit, result, uploads; polling, the in-flight cap, sync mode, base64 output.</summary>
internal sealed class WaveSpeedClient : IImageApiClient, IDisposable
{
    private readonly ApiTransport _transport;
    private readonly MediaUploader _uploader;
    private readonly Downloader _downloader;
    private readonly GptImageConnection _connection;
    private readonly bool _ownsConnection;

    /// <summary>
    /// Creates a client with a connection of its own; <paramref name="handler"/> replaces the network stack (tests).
    /// Without <see cref="TransportOptions.Credential"/>, the key is the provider's environment variable, as for a call.
    /// </summary>
    public WaveSpeedClient(ConnectionOptions options, System.Net.Http.HttpMessageHandler? handler = null)
        : this(new GptImageConnection(WithDefaultKey(options), handler), options)
    {
        _ownsConnection = true;
    }

    /// <summary>
    /// Creates a client on a shared connection (its HttpClient, upload cache and in-flight cap), with per-call options
    /// that carry the call's key (<see cref="ApiCredential.Resolve"/>): the client looks up none itself.
    /// </summary>
    public WaveSpeedClient(GptImageConnection connection, ConnectionOptions options)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        options.Validate();
        Options = options;
        _transport = new ApiTransport(options, connection.Http);
        _uploader = new MediaUploader(_transport, connection);
        Account = new WaveSpeedAccount(_transport);
        _downloader = new Downloader(_transport);
    }

    private static ConnectionOptions WithDefaultKey(ConnectionOptions options)
    {
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        options.Credential = ApiCredential.Resolve(null, options.Credential, options.Provider);
        return options;
    }

    /// <summary>The account's endpoints: history, balance, webhook secret.</summary>
    public WaveSpeedAccount Account { get; }

    private TaskSlots Slots => _connection.Slots;

    private HashSet<string> Known => _connection.Known;

    /// <inheritdoc />
    public ProviderKind Kind => ProviderKind.WaveSpeed;

    private ConnectionOptions Options { get; }

    /// <inheritdoc />
    public async Task<Prediction> SubmitAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }
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

        await Slots.AcquireAsync(IsFinalAsync, cancellationToken).ConfigureAwait(false);
        Prediction? prediction = null;
        try
        {
            _transport.Log(() => $"Submitting {request.Describe()}");
            var submittedAt = DateTimeOffset.UtcNow;
            var sentAt = Stopwatch.GetTimestamp();
            using var response = await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, submitUri) { Content = ApiTransport.JsonContent(body) },
                RetryMode.Submit, cancellationToken,
                timeout: request.SyncMode ? Options.RequestTimeout + TimeSpan.FromSeconds(30) : (TimeSpan?)null).ConfigureAwait(false);
            // The task started between the request and its answer: counting from the answer never looks before its
            // end. A sync-mode answer comes when the task ends or the gateway gives up, so that one counts from the request.
            var answeredAt = request.SyncMode ? sentAt : Stopwatch.GetTimestamp();
            if (request.SyncMode && response.Status == 504)
            {
                prediction = await RecoverSyncTimeoutAsync(request, submittedAt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _transport.ThrowForStatusAsync(response, null, submit: true).ConfigureAwait(false);
                prediction = await ReadPredictionAsync(response, Priced(request), submit: true).ConfigureAwait(false);
            }
            prediction.SubmittedAt = answeredAt;
            prediction.TimingKey = LatencyEstimator.KeyOf(Options.BaseUri, request.Spec.ApiModelId, request.Size ?? request.Spec.DefaultSize, request.EffectiveQuality);
            lock (Known) { Known.Add(prediction.Id); }
            _transport.Log(() => $"Submitted {prediction.Id}: {prediction.Status}");
            return prediction;
        }
        finally
        {
            if (prediction is null) { Slots.Unreserve(); }
            else { Slots.Register(prediction.Id, prediction.IsFinal); }
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

    /// <summary>
    /// A sync-mode submit answered 504 left a running task whose id was not returned. It is found among the
    /// account's newest predictions (same model, created since the submit, not known here) and polled; it is
    /// never submitted again. When it cannot be singled out, the caller is told so.
    /// </summary>
    private async Task<Prediction> RecoverSyncTimeoutAsync(ImageRequest request, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        _transport.Log("Sync mode timed out at the gateway (504); looking for the task among recent predictions instead of submitting again");
        var query = new HistoryQuery { Model = request.Spec.ApiModelId, CreatedAfter = submittedAt.AddSeconds(-30) };
        var (items, _) = await Account.ListPageAsync(query, 1, HistoryQuery.MaxPageSize, _transport.Log, cancellationToken).ConfigureAwait(false);
        var candidates = items.Where(item =>
        {
            lock (Known) { return item.Id is not null && !Known.Contains(item.Id); }
        }).ToList();
        if (candidates.Count == 1)
        {
            var id = Untrusted.ServiceId(candidates[0].Id!, null);
            _transport.Log(() => $"Found the sync-mode task {id}; polling it");
            return Priced(request, id, PredictionStatus.Processing, ResultUri(id));
        }
        throw new GptImageException(GptImageErrorKind.SubmitOutcomeUnknown,
            "The sync-mode submit timed out at the gateway (504) and the task it started could not be singled out among recent " +
            "predictions. It was not submitted again; it may still complete and be charged.");
    }

    /// <summary>The prediction a request makes, at the model's published price per image (named as an estimate).</summary>
    private static Prediction Priced(ImageRequest request, string id = "", string status = PredictionStatus.Created, Uri? resultUri = null)
    {
        var (usd, usdSource) = request.Spec.Estimate(request.Size, request.Quality, request.Count ?? 1);
        return new Prediction(request.Asked) { Id = id, Status = status, ResultUri = resultUri, Usd = usd, UsdSource = usdSource };
    }

    /// <inheritdoc />
    public Task<Prediction> GetAsync(string id, CancellationToken cancellationToken)
    {
        return QueryAsync(new Prediction { Id = Untrusted.UserId(id) }, null, cancellationToken);
    }

    private async Task<bool> IsFinalAsync(string id, CancellationToken cancellationToken) =>
        (await GetAsync(id, cancellationToken).ConfigureAwait(false)).IsFinal;

    /// <summary>
    /// One result query, retried when the answer breaks off; an answer read whole but invalid (bad JSON, invalid
    /// base64) is not asked for again (<see cref="RetryPolicy.IsFinal"/>). For a base64 prediction with
    /// <paramref name="save"/>, the outputs are streamed straight to their files.
    /// </summary>
    private Task<Prediction> QueryAsync(Prediction known, SaveOptions? save, CancellationToken cancellationToken)
    {
        var uri = ResultUri(known.Id);
        return RetryPolicy.RunAsync(Options,
            () => QueryOnceAsync(uri, known, save, cancellationToken),
            (unreadable, delay, _) => _transport.Log(() => $"Result of {known.Id} unreadable ({_transport.Redact(unreadable.Failure!.Message)}); retrying in {delay.TotalSeconds:0.0##} s"),
            (last, _) =>
            {
                // An answer that is read but not the prediction expected stays what it is; a read that broke off is a transport failure.
                if (last.Failure is GptImageException invalid) { ExceptionDispatchInfo.Capture(invalid).Throw(); }
                throw new GptImageException(GptImageErrorKind.TransportFailed, $"The result of {known.Id} could not be read: {_transport.Redact(last.Failure!.Message)}", known.Id, innerException: last.Failure);
            },
            cancellationToken);
    }

    private async Task<Attempt<Prediction>> QueryOnceAsync(Uri uri, Prediction known, SaveOptions? save, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent,
            cancellationToken, known.Id).ConfigureAwait(false);
        if (response.Status == 404)
        {
            throw new GptImageException(GptImageErrorKind.NotFound,
                $"Prediction {known.Id} was not found (404): the id is wrong, or the service deleted it (after 7 days).", known.Id, 404);
        }
        await _transport.ThrowForStatusAsync(response, known.Id).ConfigureAwait(false);
        try
        {
            var prediction = await ReadPredictionAsync(response, known, submit: false, save).ConfigureAwait(false);
            if (prediction.IsFinal) { Slots.Release(prediction.Id); }
            return Attempt<Prediction>.Success(prediction);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && (e is IOException or HttpRequestException or OperationCanceledException or InvalidDataException or GptImageException { Kind: GptImageErrorKind.InvalidResponse }))
        {
            return Attempt<Prediction>.Transient(e);
        }
    }

    /// <summary>
    /// The documented result path of a task, built from its id: the answer's urls.get is shown on the prediction but
    /// never followed, so no answer chooses where the key is sent next.
    /// </summary>
    private Uri ResultUri(string id) => _transport.Url.Path("api/v3/predictions").Segment(id).Path("result").ToUri();

    /// <summary>
    /// Reads a prediction answer. <paramref name="known"/> is what this session knew of the task before it: the
    /// prediction of the request for a submit, the last one seen for a query.
    /// </summary>
    private async Task<Prediction> ReadPredictionAsync(ApiResponse response, Prediction known, bool submit, SaveOptions? save = null)
    {
        // A submit's prediction has no id until this answer gives one.
        var knownId = submit ? null : known.Id;
        var base64 = known.Base64Output;
        byte[] json;
        using var outputs = new Base64Outputs(save?.TargetDirectory, Options.MaxDownloadBytes);
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
        if (save is not null && prediction.Status == PredictionStatus.Completed && outputs.Count > 0)
        {
            try
            {
                prediction.Files = outputs.Commit((index, format) => save.SavePath(prediction, index, format), save.Overwrite, prediction.Id);
            }
            catch (GptImageException e)
            {
                throw e.SavingFailed(prediction);
            }
        }
        return prediction;
    }

    /// <inheritdoc />
    public async Task<Prediction> WaitAsync(Prediction prediction, TimeSpan timeout, SaveOptions? save, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        var estimates = _connection.Latency;
        var key = prediction.TimingKey ?? LatencyEstimator.KeyOf(Options.BaseUri, prediction.ModelId, null, null);
        Prediction current;
        bool streamed;
        using (estimates.Join(key, prediction.SubmittedAt != 0 ? prediction.SubmittedAt : Stopwatch.GetTimestamp(), out var isScout))
        {
            (current, streamed) = await PollAsync(prediction, key, isScout, timeout, save, cancellationToken).ConfigureAwait(false);
        }
        // Kept for the next session once the last task of its kind waited on here has ended (one write per batch).
        if (!estimates.IsWaitedOn(key)) { estimates.Save(); }
        Slots.Release(current.Id);
        if (save is not null && current.Status == PredictionStatus.Completed && !streamed)
        {
            current = await SaveAsync(current, save, cancellationToken).ConfigureAwait(false);
        }
        return current;
    }

    /// <summary>
    /// Looks at a prediction until it is final, when the learnt timings of its kind say to (<see cref="NextDelay"/>),
    /// sooner when a task of its kind is seen ending. Also says whether its base64 outputs were streamed to their files.
    /// </summary>
    private async Task<(Prediction Final, bool Streamed)> PollAsync(Prediction prediction, string? key, Func<bool> isScout, TimeSpan timeout,
        SaveOptions? save, CancellationToken cancellationToken)
    {
        var estimates = _connection.Latency;
        var watch = Stopwatch.StartNew();
        var current = prediction;
        var streamed = false;
        var first = true;
        var queries = 0;
        var lastLook = 0L;
        while (!current.IsFinal)
        {
            var remaining = timeout - watch.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new GptImageException(GptImageErrorKind.Timeout,
                    $"Prediction {current.Id} is still {current.Status} after {timeout.TotalSeconds:0.#} s. It keeps running on the service; " +
                    $"query it later with Get-GptImagePrediction -Id {current.Id}.", current.Id);
            }
            var changed = estimates.Changed;
            // Known only by its id, a task may have ended long ago: it is looked at at once.
            var delay = first && current.SubmittedAt == 0 && current.CreatedAt is null ? TimeSpan.Zero
                : NextDelay(estimates, key, current, watch.Elapsed, isScout(), queries, lastLook, first ? RandomSource.NextDouble() : null);
            first = false;
            // After a change the loop works the look out again: due now, it is made at once; else it is slept for.
            if (delay > TimeSpan.Zero
                && !await SleepUntilDueAsync(watch, watch.Elapsed + (delay < remaining ? delay : remaining), changed, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            lastLook = Stopwatch.GetTimestamp();
            queries++;
            (current, streamed) = await LookAsync(current, key, save, cancellationToken).ConfigureAwait(false);
        }
        return (current, streamed);
    }

    /// <summary>
    /// Sleeps until <paramref name="due"/> on <paramref name="watch"/>: true then, false as soon as <paramref name="changed"/>
    /// completes (a task of some kind ended, or a scout left or was replaced). Never wakes early: a timer that fires before
    /// the due time (the system timer is coarser than the stopwatch) sleeps the rest. A look a few milliseconds early finds
    /// the task still running and costs a query and the wait for the next one allowed.
    /// </summary>
    private static async Task<bool> SleepUntilDueAsync(Stopwatch watch, TimeSpan due, Task changed, CancellationToken cancellationToken)
    {
        for (var left = due - watch.Elapsed; left > TimeSpan.Zero; left = due - watch.Elapsed)
        {
            if (!await ChangeSignal.DelayOrChangeAsync(changed, left, cancellationToken).ConfigureAwait(false)) { return false; }
        }
        return true;
    }

    /// <summary>
    /// One result query, learning the task's duration when it completed. Base64 outputs are streamed to their files only
    /// when the query is known to carry them; a prediction known only by its id shows it is base64 in this answer, and is
    /// saved afterwards by one more query. Also says whether the outputs were streamed.
    /// </summary>
    private async Task<(Prediction Current, bool Streamed)> LookAsync(Prediction current, string? key, SaveOptions? save,
        CancellationToken cancellationToken)
    {
        var streamTo = current.Base64Output ? save : null;
        var answer = await QueryAsync(current, streamTo, cancellationToken).ConfigureAwait(false);
        if (answer.Status == PredictionStatus.Completed)
        {
            _connection.Latency.Observe(key, answer.InferenceTime ?? answer.Running);
        }
        return (answer, streamTo is not null && answer.Base64Output);
    }

    private TimeSpan NextDelay(LatencyEstimator estimates, string? key, Prediction current, TimeSpan waited, bool scout, int queries, long lastLook,
        double? spread = null)
    {
        var last = estimates.LastEnd(key);
        return PollDelays.NextDelay(Options.PollSchedule, new PollState
        {
            Waited = waited,
            Running = current.Running,
            Expected = estimates.Estimate(key),
            Scout = scout,
            Queries = queries,
            SiblingEnded = last is { } l && l.At > lastLook ? l.Duration : null,
            FirstLookSpread = spread,
        });
    }

    /// <inheritdoc />
    public async Task<Prediction> SaveAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        if (save is null) { throw new ArgumentNullException(nameof(save)); }
        Downloader.EnsureCompleted(prediction);
        return prediction.Base64Output
            ? await QueryAsync(prediction, save, cancellationToken).ConfigureAwait(false)
            : await _downloader.SaveAllAsync(prediction, save, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the connection of a client made with one of its own; a shared connection is left to its owner.</summary>
    public void Dispose()
    {
        if (_ownsConnection) { _connection.Dispose(); }
    }
}
