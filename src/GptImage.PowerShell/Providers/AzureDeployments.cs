using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using GptImage.Http;

namespace GptImage.Providers;

/// <summary>
/// Where Azure OpenAI requests go: the deployment that serves each model, and the <c>api-version</c> of every request
/// (<c>…/openai/deployments/{deployment}/images/generations?api-version=…</c>). Without a map, a model is sent to the
/// deployment of its own name, as the official SDKs do when no deployment is given.
/// </summary>
internal sealed class AzureDeployments
{
    /// <summary>
    /// The api-version sent when none is given: the one Microsoft's image generation reference documents for gpt-image-1
    /// (learn.microsoft.com/azure/ai-foundry/openai/how-to/dall-e and the Azure OpenAI REST reference).
    /// </summary>
    public const string DefaultApiVersion = "2025-04-01-preview";

    /// <summary>The environment variable the official SDKs read the api-version from.</summary>
    public const string ApiVersionVariable = "OPENAI_API_VERSION";

    /// <summary>The key of a map entry that serves every model (a single -Deployment name).</summary>
    public const string AnyModel = "*";

    // Azure's deployment names: letters, digits, '-', '_' and '.', at most 64 (one URL segment, nothing more).
    private static readonly Regex DeploymentName = new(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);
    private static readonly Regex VersionGrammar = new(@"^\d{4}-\d{2}-\d{2}(-preview)?$", RegexOptions.CultureInvariant);

    private readonly IReadOnlyDictionary<string, string> _map;

    /// <summary>A map from model name to deployment (<see cref="AnyModel"/> for one that serves them all), and the api-version.</summary>
    public AzureDeployments(IReadOnlyDictionary<string, string>? map, string? apiVersion)
    {
        var version = string.IsNullOrWhiteSpace(apiVersion) ? DefaultApiVersion : apiVersion!.Trim();
        if (!VersionGrammar.IsMatch(version))
        {
            throw GptImageException.InvalidParameter("ApiVersion", $"'{Untrusted.Text(version)}' is not an Azure OpenAI api-version (yyyy-MM-dd or yyyy-MM-dd-preview, e.g. {DefaultApiVersion}).");
        }
        ApiVersion = version;
        var checkedMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in map ?? new Dictionary<string, string>())
        {
            var deployment = pair.Value?.Trim() ?? string.Empty;
            if (!DeploymentName.IsMatch(deployment))
            {
                throw GptImageException.InvalidParameter("Deployment",
                    $"'{Untrusted.Text(deployment)}' is not an Azure OpenAI deployment name (letters, digits, '-', '_' and '.', at most 64).");
            }
            checkedMap[pair.Key.Trim()] = deployment;
        }
        _map = checkedMap;
    }

    /// <summary>No map (each model to the deployment of its name) and the api-version of OPENAI_API_VERSION, else the default.</summary>
    public static AzureDeployments FromEnvironment() => new(null, Environment.GetEnvironmentVariable(ApiVersionVariable));

    /// <summary>The api-version of every request.</summary>
    public string ApiVersion { get; }

    /// <summary>The map as given (model → deployment), for Connect-GptImage -PassThru.</summary>
    public IReadOnlyDictionary<string, string> Map => _map;

    /// <summary>The deployment that serves <paramref name="model"/>: its entry, else the one for every model, else the model's own name.</summary>
    public string For(string model)
    {
        if (_map.TryGetValue(model, out var deployment) || _map.TryGetValue(AnyModel, out deployment)) { return deployment; }
        if (_map.Count > 0)
        {
            throw GptImageException.InvalidParameter("Model",
                $"No Azure OpenAI deployment is given for {model}: -Deployment maps {string.Join(", ", _map.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase))}. " +
                $"Add it: Connect-GptImage -Provider AzureOpenAI -Deployment @{{ '{model}' = '<deployment>' }}.");
        }
        if (!DeploymentName.IsMatch(model))
        {
            throw GptImageException.InvalidParameter("Model", $"'{Untrusted.Text(model)}' cannot name an Azure OpenAI deployment; give -Deployment.");
        }
        return model;
    }

    /// <summary>The map for messages: "gpt-image-1 → images, …", or "each model's own name".</summary>
    public override string ToString() => _map.Count == 0 ? "each model's own name"
        : string.Join(", ", _map.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => (p.Key == AnyModel ? "every model" : p.Key) + " → " + p.Value));
}
