using System;
using System.Security;
using GptImage.Client;

namespace GptImage.Operations;

/// <summary>Per-call settings every cmdlet that talks to the service takes (named as the web cmdlets name them).</summary>
public sealed class CallSettings
{
    /// <summary>-Provider for this call only (null: the session's).</summary>
    public ProviderKind? Provider { get; init; }
    /// <summary>-ApiKey for this call only.</summary>
    public SecureString? ApiKey { get; init; }
    /// <summary>-MaximumRetryCount.</summary>
    public int? MaximumRetryCount { get; init; }
    /// <summary>-RetryIntervalSec (the first retry's delay; later ones double with jitter).</summary>
    public int? RetryIntervalSec { get; init; }
    /// <summary>Where request lines go (WriteVerbose, through the runner).</summary>
    public Action<string>? Log { get; init; }
    /// <summary>
    /// Whether the call cannot start without a key. Saving outputs downloads them without one (a webhook receiver
    /// may hold no key); a call that then needs the API fails with AuthenticationFailed.
    /// </summary>
    public bool RequireKey { get; init; } = true;
}

/// <summary>
/// The session's connection: set by Connect-GptImage, otherwise opened from WAVESPEED_API_KEY on first
/// use. One connection (one HttpClient, one upload cache, one in-flight cap) serves every call.
/// </summary>
public static class GptImageSession
{
    private static readonly object Gate = new();
    private static GptImageConnection? _current;
    private static readonly System.Collections.Generic.Dictionary<ProviderKind, GptImageConnection> Others = new();

    /// <summary>The connection calls use, or null when none has been opened.</summary>
    public static GptImageConnection? Current { get { lock (Gate) { return _current; } } }

    /// <summary>Makes <paramref name="options"/> the session's connection (Connect-GptImage).</summary>
    public static GptImageConnection Connect(ClientOptions options)
    {
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        options.LearnedTimingsPath ??= LatencyEstimator.DefaultPath;
        var connection = new GptImageConnection(options);
        lock (Gate)
        {
            // The previous connection is not disposed: commands still running keep using it until they end.
            _current = connection;
        }
        return connection;
    }

    /// <summary>Forgets the session's connection (Disconnect-GptImage). True when there was one.</summary>
    public static bool Disconnect()
    {
        lock (Gate)
        {
            var had = _current is not null;
            _current = null;
            return had;
        }
    }

    /// <summary>
    /// Empties the session (its connection and the per-provider ones) until the result is disposed, then puts back
    /// what was there: tests that need a session of their own leave the process's as they found it.
    /// </summary>
    internal static IDisposable Isolate()
    {
        lock (Gate)
        {
            var saved = (_current, Others: new System.Collections.Generic.Dictionary<ProviderKind, GptImageConnection>(Others));
            _current = null;
            Others.Clear();
            return new Restorer(() =>
            {
                lock (Gate)
                {
                    _current = saved._current;
                    Others.Clear();
                    foreach (var pair in saved.Others) { Others[pair.Key] = pair.Value; }
                }
            });
        }
    }

    private sealed class Restorer(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The provider a call goes to: the one asked for, else the session's, else WaveSpeed.</summary>
    public static ProviderKind ResolveProvider(ProviderKind? requested)
    {
        lock (Gate) { return requested ?? _current?.Options.Provider ?? ProviderKind.WaveSpeed; }
    }

    /// <summary>
    /// A provider for one call: the session's connection (opened from the environment when there is none)
    /// with this call's key, retries and log. Throws the terminating MissingKey error when no key is known.
    /// </summary>
    public static IImageApiClient CreateProvider(CallSettings settings)
    {
        if (settings is null) { throw new ArgumentNullException(nameof(settings)); }
        GptImageConnection connection;
        lock (Gate)
        {
            var provider = settings.Provider ?? _current?.Options.Provider ?? ProviderKind.WaveSpeed;
            if (_current is not null && _current.Options.Provider == provider)
            {
                connection = _current;
            }
            else if (_current is null && provider == ProviderKind.WaveSpeed)
            {
                connection = _current = new GptImageConnection(new ClientOptions { LearnedTimingsPath = LatencyEstimator.DefaultPath });
            }
            else
            {
                // Another provider for this call: its own connection from its defaults and environment variable.
                if (!Others.TryGetValue(provider, out connection!))
                {
                    connection = new GptImageConnection(new ClientOptions { Provider = provider, BaseUri = ClientOptions.DefaultBaseUri(provider) });
                    Others[provider] = connection;
                }
            }
        }
        var credential = settings.ApiKey is { Length: > 0 } key ? ApiCredential.FromSecureString(key) : null;
        credential ??= connection.Options.Credential ?? ApiCredential.FromEnvironment(ClientOptions.KeyVariable(connection.Options.Provider));
        if (credential is null && settings.RequireKey)
        {
            throw new MissingApiKeyException(connection.Options.Provider);
        }
        return connection.CreateProvider(o =>
        {
            o.Credential = credential;
            if (settings.MaximumRetryCount is { } retries) { o.MaximumRetryCount = retries; }
            if (settings.RetryIntervalSec is { } interval) { o.RetryInterval = TimeSpan.FromSeconds(interval); }
            o.Log = settings.Log;
        });
    }
}

/// <summary>No key is known for the provider: nothing can proceed.</summary>
public sealed class MissingApiKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MissingApiKeyException(ProviderKind provider)
        : base(ErrorMapping.MissingKey(provider).Exception.Message) => Provider = provider;

    /// <summary>The provider that has no key.</summary>
    public ProviderKind Provider { get; }
}
