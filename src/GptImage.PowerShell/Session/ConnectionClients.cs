using System;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Providers.ImagesApi;
using GptImage.Providers.WaveSpeed;
using GptImage.Providers;

namespace GptImage.Session;

/// <summary>Which client a connection's provider speaks through: the one place a provider kind becomes a client.</summary>
internal static class ConnectionClients
{
    /// <summary>
    /// A client for one call: the connection's options with this call's key, retries, log and debug lines where given (null keeps
    /// the connection's).
    /// </summary>
    public static IImageApiClient CreateClient(this GptImageConnection connection, ApiCredential? credential = null, int? maximumRetryCount = null,
        TimeSpan? retryInterval = null, Action<string>? log = null, Action<string>? debug = null)
    {
        var options = connection.Options.Clone();
        options.Credential = credential ?? options.Credential;
        options.MaximumRetryCount = maximumRetryCount ?? options.MaximumRetryCount;
        options.RetryInterval = retryInterval ?? options.RetryInterval;
        options.Log = log ?? options.Log;
        options.Debug = debug ?? options.Debug;
        return options.Provider switch
        {
            ProviderKind.WaveSpeed => new WaveSpeedClient(connection, options),
            _ => new ImagesApiClient(connection, options),
        };
    }
}
