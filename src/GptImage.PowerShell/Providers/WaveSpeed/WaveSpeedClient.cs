using System;
using System.Threading;
using System.Threading.Tasks;
using GptImage.Files;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Requests;

namespace GptImage.Providers.WaveSpeed;

/// <summary>
/// WaveSpeed's v3 task API on a connection: submit (<see cref="WaveSpeedSubmitter"/>), result queries
/// (<see cref="WaveSpeedResults"/>), waiting (<see cref="WaveSpeedPoller"/>), saving and the account's endpoints.
/// A client holds nothing to dispose: what it uses is the connection's.
/// </summary>
internal sealed class WaveSpeedClient : IImageApiClient
{
    private readonly WaveSpeedSubmitter _submitter;
    private readonly WaveSpeedResults _results;
    private readonly WaveSpeedPoller _poller;
    private readonly Downloader _downloader;

    /// <summary>
    /// Creates a client on a shared connection (its HttpClient, upload cache and in-flight cap), with per-call options
    /// that carry the call's key (<see cref="ApiCredential.Resolve"/>): the client looks up none itself.
    /// </summary>
    public WaveSpeedClient(GptImageConnection connection, ConnectionOptions options)
    {
        if (connection is null) { throw new ArgumentNullException(nameof(connection)); }
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        options.Validate();
        var transport = new ApiTransport(options, connection.Http);
        Account = new WaveSpeedAccount(transport);
        _results = new WaveSpeedResults(transport, connection.Slots);
        _submitter = new WaveSpeedSubmitter(transport, connection, _results, Account);
        _poller = new WaveSpeedPoller(connection, options, _results);
        _downloader = new Downloader(transport);
    }

    /// <summary>The account's endpoints: history, balance, webhook secret.</summary>
    public WaveSpeedAccount Account { get; }

    /// <inheritdoc />
    public ProviderKind Kind => ProviderKind.WaveSpeed;

    /// <inheritdoc />
    public Task<Prediction> SubmitAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }
        return _submitter.SubmitAsync(request, IsFinalAsync, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Prediction> GetAsync(string id, CancellationToken cancellationToken) =>
        _results.QueryAsync(new Prediction { Id = Untrusted.UserId(id) }, null, cancellationToken);

    private async Task<bool> IsFinalAsync(string id, CancellationToken cancellationToken) =>
        (await GetAsync(id, cancellationToken).ConfigureAwait(false)).IsFinal;

    /// <inheritdoc />
    public Task<Prediction> WaitAsync(Prediction prediction, SaveOptions? streamTo, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        return _poller.WaitAsync(prediction, streamTo, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Prediction> SaveAsync(Prediction prediction, SaveOptions save, CancellationToken cancellationToken)
    {
        if (prediction is null) { throw new ArgumentNullException(nameof(prediction)); }
        if (save is null) { throw new ArgumentNullException(nameof(save)); }
        Downloader.EnsureCompleted(prediction);
        // base64 outputs are in the result, not behind URLs: one more query streams them to their files.
        return prediction.Base64Output
            ? await _results.QueryAsync(prediction, save, cancellationToken).ConfigureAwait(false)
            : prediction.WithFiles(await _downloader.SaveAllAsync(prediction, save, cancellationToken).ConfigureAwait(false));
    }
}
