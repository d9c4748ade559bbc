using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http.Retry;
using GptImage.Http;
using GptImage.Images;
using GptImage.Providers;
using GptImage.Requests;

namespace GptImage.Providers.ImagesApi;

/// <summary>
/// The OpenAI-style Images API (AIML API, and OpenAI itself): synchronous generations and multipart
/// edits. Each answer becomes a completed (or, when moderation refuses it, failed) prediction, so the
/// same pipeline works as for WaveSpeed. base64 images are decoded from the answer stream straight to
/// files: the target when saving, otherwise the session cache (they cannot be fetched again).
/// </summary>
internal sealed class ImagesApiClient : IImageApiClient
{
    private readonly ApiTransport _transport;
    private readonly Downloader _downloader;
    private readonly GptImageConnection _connection;
    private readonly AzureDeployments? _azure;

    /// <summary>Creates a client on a shared connection with per-call options that carry the call's key (<see cref="ApiCredential.Resolve"/>).</summary>
    public ImagesApiClient(GptImageConnection connection, ConnectionOptions options)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        options.Validate();
        _azure = options.Provider == ProviderKind.AzureOpenAI ? options.Azure ?? AzureDeployments.FromEnvironment() : null;
        _transport = new ApiTransport(options, connection.Http);
        _downloader = new Downloader(_transport);
        // Before anything is sent: base64 outputs are kept only in a folder no one else can read.
        KeptOutputs.Ensure();
    }

    /// <summary>
    /// The API root as the official SDKs take it (https://api.openai.com/v1): the base URI when its path ends in /v1, else
    /// its /v1, so a bare host and an SDK-style root both work.
    /// </summary>
    private ApiUrl ApiRoot => _transport.Options.BaseUri.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal)
        ? _transport.Url : _transport.Url.Path("v1");

    /// <inheritdoc />
    public ProviderKind Kind => _transport.Options.Provider;

    /// <summary>
    /// Where a request goes: the API root's images/generations or images/edits; on Azure OpenAI the route of the
    /// deployment serving the model, with the api-version (both through the one URL builder).
    /// </summary>
    private Uri Route(ModelSpec spec, out string? deployment)
    {
        var operation = spec.Operation == ImageOperation.Edit ? "edits" : "generations";
        if (_azure is null)
        {
            deployment = null;
            return ApiRoot.Path("images/" + operation).ToUri();
        }
        deployment = _azure.For(spec.Name);
        return _transport.Url.Path("openai/deployments").Segment(deployment).Path("images/" + operation).Query("api-version", _azure.ApiVersion).ToUri();
    }

    /// <inheritdoc />
    public async Task<Prediction> SubmitAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }
        if (request.Images.Any(i => i.LocalPath is null) || request.Mask is { LocalPath: null })
        {
            throw GptImageException.InvalidParameter("Uri", $"{Kind} edits take image files, not URLs; download the image first, or use WaveSpeed.");
        }
        request.CheckLocalFiles();
        var edit = request.Spec.Operation == ImageOperation.Edit;
        var uri = Route(request.Spec, out var deployment);
        _transport.Log(() => $"Submitting {request.Describe()}");
        Prediction prediction;
        try
        {
            prediction = await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = edit ? ImagesApiForm.Edit(request, Kind) : ImagesApiForm.Generation(request, Kind) },
                RetryMode.Submit, async response =>
                {
                    await _transport.ThrowForStatusAsync(response, null, submit: true).ConfigureAwait(false);
                    // Asked to stream (-PartialImages): an event stream; a service that answers JSON instead is read as unstreamed.
                    return ImagesApiStream.IsEventStream(request, response)
                        ? await new ImagesApiStream(_transport, Kind).ReadAsync(response, request, cancellationToken).ConfigureAwait(false)
                        : await new ImagesApiAnswer(_transport, Kind).ReadAsync(response, request).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
        }
        catch (GptImageException e) when (e.Kind == GptImageErrorKind.NotFound && deployment is not null)
        {
            // A refused route made nothing: say which deployment the resource does not have, and how to name the right one.
            throw new GptImageException(GptImageErrorKind.NotFound,
                $"Azure OpenAI at {_transport.Options.BaseUri.Host} has no deployment '{deployment}' for {request.Spec.Name} ({e.Message}). " +
                $"Name the deployment that serves it: Connect-GptImage -Provider AzureOpenAI -Deployment @{{ '{request.Spec.Name}' = '<deployment>' }}.",
                null, e.StatusCode, e)
            {
                ParameterName = "Deployment",
                RecommendedAction = $"Connect-GptImage -Provider AzureOpenAI -BaseUri {_transport.Options.BaseUri} -Deployment <the deployment of {request.Spec.Name}>",
            };
        }
        catch (GptImageException e) when (e.Kind == GptImageErrorKind.ContentModerated)
        {
            prediction = new Prediction(request.Asked)
            {
                Id = NewId(),
                Status = PredictionStatus.Failed,
                Error = e.Message,
                ErrorCode = 1200,
                CreatedAt = DateTimeOffset.UtcNow,
                // Refused: no output came back, inline or not.
                Base64Output = false,
            };
        }
        _connection.Finished[prediction.Id] = prediction;
        _transport.Log(() => $"{prediction.Id}: {prediction.Status}");
        return prediction;
    }

    internal static string NewId() => "img-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public Task<Prediction> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (id is not null && _connection.Finished.TryGetValue(id, out var prediction)) { return Task.FromResult(prediction); }
        throw new GptImageException(GptImageErrorKind.NotFound,
            $"Prediction {id} is not known: {Kind} answers synchronously and keeps no tasks to query; only predictions made in this session can be looked up.", id, 404);
    }

    /// <inheritdoc />
    /// <remarks>An Images API prediction is final when it is made: there is nothing to wait for, and nothing is streamed.</remarks>
    public Task<Prediction> WaitAsync(Prediction prediction, SaveOptions? streamTo, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        return prediction.IsFinal ? Task.FromResult(prediction) : GetAsync(prediction.Id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Prediction> SaveAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        if (save is null) { throw new ArgumentNullException(nameof(save)); }
        return prediction.WithFiles(await _downloader.SaveAllAsync(prediction, save, cancellationToken).ConfigureAwait(false));
    }
}
