using System;
using GptImage.Http;
using GptImage.Polling;

namespace GptImage.Providers;

/// <summary>
/// Everything a connection needs: the transport's options (where, who, how patiently), and what the providers
/// add: the cap on tasks in flight, how results are polled and where learnt timings are kept.
/// </summary>
internal sealed class ConnectionOptions : TransportOptions
{
    /// <summary>WaveSpeed's public endpoint.</summary>
    public static readonly Uri WaveSpeedBaseUri = new("https://api.wavespeed.ai/");

    /// <summary>
    /// The endpoint of a provider when no -BaseUri is given: its environment variable (<see cref="EndpointVariable"/>,
    /// as the official SDKs read OPENAI_BASE_URL), else its public endpoint. The https rule of -BaseUri applies to both.
    /// </summary>
    public static Uri DefaultBaseUri(ProviderKind provider)
    {
        var variable = EndpointVariable(provider);
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (provider == ProviderKind.AzureOpenAI)
            {
                // A resource of the tenant's own: there is no public endpoint to fall back to.
                throw GptImageException.InvalidParameter("BaseUri",
                    "Azure OpenAI needs the resource's endpoint: Connect-GptImage -Provider AzureOpenAI -BaseUri https://<resource>.openai.azure.com, " +
                    $"or set {variable}.");
            }
            return provider switch
            {
                ProviderKind.AimlApi => new Uri("https://api.aimlapi.com/v1/"),
                ProviderKind.OpenAI => new Uri("https://api.openai.com/v1/"),
                _ => WaveSpeedBaseUri,
            };
        }
        if (!Uri.TryCreate(value!.Trim(), UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            throw GptImageException.InvalidParameter("BaseUri", $"The environment variable {variable} is not an absolute http(s) URL.");
        }
        return uri;
    }

    /// <summary>The environment variable naming a provider's endpoint (its API root), read when no -BaseUri is given.</summary>
    public static string EndpointVariable(ProviderKind provider) => provider switch
    {
        ProviderKind.AimlApi => "AIMLAPI_BASE_URL",
        ProviderKind.OpenAI => "OPENAI_BASE_URL",
        ProviderKind.AzureOpenAI => "AZURE_OPENAI_ENDPOINT",
        _ => "WAVESPEED_BASE_URL",
    };

    /// <summary>
    /// Azure OpenAI: the deployment each model is sent to, and the api-version of every request; null for the defaults
    /// (<see cref="AzureDeployments.FromEnvironment"/>, read only when an Azure OpenAI client is made).
    /// </summary>
    public AzureDeployments? Azure { get; set; }

    /// <summary>Tasks not yet final at once, per connection; a submit beyond it waits locally. 0 = no limit.</summary>
    public int MaxTasksInFlight { get; set; }
    /// <summary>How results are polled.</summary>
    public PollSchedule PollSchedule { get; set; } = PollSchedule.Default;
    /// <summary>
    /// A file where the connection keeps how long each kind of task took, so a new session does not start blind
    /// (null: learnt in memory only). The cmdlets use <c>GptImage/timings.json</c> in the user's local application data.
    /// </summary>
    public string? LearnedTimingsPath { get; set; }

    /// <summary>A copy to adjust for one call.</summary>
    public ConnectionOptions Clone() => (ConnectionOptions)MemberwiseClone();
}
