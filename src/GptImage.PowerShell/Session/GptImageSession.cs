using System;
using System.Collections.Generic;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Polling;
using GptImage.Providers;

namespace GptImage.Session;

/// <summary>
/// One PowerShell session's connections (the cmdlets keep one per runspace): the one Connect-GptImage set,
/// otherwise one opened from WAVESPEED_API_KEY on first use, and one per other provider a call names with
/// -Provider. <see cref="Resolve"/> is the one place a call's provider, connection and key are worked out.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "A connection is never disposed by the session: commands still running keep using it after Connect or Disconnect replaces it.")]
internal sealed class GptImageSession
{
    private readonly object _gate = new();
    private readonly Dictionary<ProviderKind, GptImageConnection> _others = new();
    private GptImageConnection? _current;

    /// <summary>Makes <paramref name="options"/> the session's connection (Connect-GptImage).</summary>
    public GptImageConnection Connect(ConnectionOptions options)
    {
        if (options is null) { throw new ArgumentNullException(nameof(options)); }
        // The caller's options are left as they were given: the session's default goes on a copy.
        var own = options.Clone();
        own.LearnedTimingsPath ??= LearnedTimingsFile.DefaultPath;
        var connection = new GptImageConnection(own);
        lock (_gate)
        {
            // The previous connection is not disposed: commands still running keep using it until they end.
            _current = connection;
            _others.Clear();
        }
        return connection;
    }

    /// <summary>The provider a call that names none uses: the connection's, else WaveSpeed.</summary>
    public ProviderKind Provider
    {
        get { lock (_gate) { return _current?.Options.Provider ?? ProviderKind.WaveSpeed; } }
    }

    /// <summary>Forgets the session's connections (Disconnect-GptImage). True when there was one.</summary>
    public bool Disconnect()
    {
        lock (_gate)
        {
            var had = _current is not null || _others.Count > 0;
            _current = null;
            _others.Clear();
            return had;
        }
    }

    /// <summary>
    /// The client one call uses: the provider asked for, else the session's, else WaveSpeed; that provider's
    /// connection; the call's key, else the connection's, else the provider's environment variable; the call's
    /// retries and log. Throws NotSupported for a WaveSpeed-only feature elsewhere, then MissingApiKey.
    /// </summary>
    public IImageApiClient Resolve(CallSettings settings)
    {
        if (settings is null) { throw new ArgumentNullException(nameof(settings)); }
        var connection = ConnectionFor(settings.Provider);
        var provider = connection.Options.Provider;
        if (settings.WaveSpeedOnly is { } feature && provider != ProviderKind.WaveSpeed)
        {
            throw GptImageException.WaveSpeedOnly(feature, provider);
        }
        var credential = ApiCredential.Resolve(settings.ApiKey, connection.Options.Credential, provider);
        if (credential is null && settings.RequireKey) { throw ApiCredential.Missing(provider); }
        return connection.CreateClient(credential, settings.MaximumRetryCount,
            settings.RetryIntervalSec is { } seconds ? TimeSpan.FromSeconds(seconds) : null, settings.Log, settings.Debug);
    }

    private GptImageConnection ConnectionFor(ProviderKind? requested)
    {
        lock (_gate)
        {
            var provider = requested ?? _current?.Options.Provider ?? ProviderKind.WaveSpeed;
            if (_current is not null && _current.Options.Provider == provider) { return _current; }
            if (_current is null && provider == ProviderKind.WaveSpeed)
            {
                return _current = new GptImageConnection(new ConnectionOptions
                {
                    BaseUri = ConnectionOptions.DefaultBaseUri(provider),
                    LearnedTimingsPath = LearnedTimingsFile.DefaultPath,
                });
            }
            // Another provider for this call: its own connection from its defaults and environment variable.
            if (!_others.TryGetValue(provider, out var other))
            {
                other = new GptImageConnection(new ConnectionOptions { Provider = provider, BaseUri = ConnectionOptions.DefaultBaseUri(provider) });
                _others[provider] = other;
            }
            return other;
        }
    }
}
