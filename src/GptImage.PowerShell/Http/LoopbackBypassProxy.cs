using System;
using System.Net;

namespace GptImage.Http;

/// <summary>A proxy that is never used for http to this machine (loopback), whatever the proxy it wraps says: the key would cross it in clear.</summary>
internal sealed class LoopbackBypassProxy : IWebProxy
{
    private readonly IWebProxy? _inner;

    public LoopbackBypassProxy(IWebProxy? inner) => _inner = inner;

    public ICredentials? Credentials
    {
        get => _inner?.Credentials;
        set { if (_inner is not null) { _inner.Credentials = value; } }
    }

    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : _inner?.GetProxy(destination);

    public bool IsBypassed(Uri host) => (host.Scheme == Uri.UriSchemeHttp && TransportOptions.IsLoopback(host)) || _inner is null || _inner.IsBypassed(host);
}
