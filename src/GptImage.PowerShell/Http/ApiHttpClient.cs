using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace GptImage.Http;

/// <summary>Makes the one HttpClient of a connection: no redirects, the client headers, the proxy (never for loopback).</summary>
internal static class ApiHttpClient
{
    internal static readonly string Version =
        typeof(ApiHttpClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The one HttpClient of a connection: no redirects, the client headers, the proxy.</summary>
    public static HttpClient Create(TransportOptions options, HttpMessageHandler? handler = null)
    {
        var http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("GptImage", Version));
        http.DefaultRequestHeaders.Add("X-Client-Name", "GptImage");
        http.DefaultRequestHeaders.Add("X-Client-Version", Version);
        http.DefaultRequestHeaders.Add("X-Client-OS", RuntimeInformation.OSDescription.Trim());
        return http;
    }

    private static HttpMessageHandler CreateHandler(TransportOptions options)
    {
#if NETFRAMEWORK
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            MaxConnectionsPerServer = 1024,
        };
#else
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
#endif
        // The explicit or the system proxy (HTTP_PROXY and the like), never for this machine: a loopback http base
        // URI would otherwise hand the key to the proxy in clear.
#if NETFRAMEWORK
        handler.Proxy = new LoopbackBypassProxy(options.Proxy ?? WebRequest.DefaultWebProxy);
#else
        handler.Proxy = new LoopbackBypassProxy(options.Proxy ?? HttpClient.DefaultProxy);
#endif
        handler.UseProxy = true;
        return handler;
    }
}
