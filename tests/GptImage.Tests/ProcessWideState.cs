using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Providers;
using GptImage.Session;

namespace GptImage.Tests;

/// <summary>
/// Tests that read or write what the whole process shares (the key environment variables, the session's
/// connection) run in this collection: never beside another test, each on an empty session with no key variable set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWide
{
    public const string Name = "Process-wide state";
}

/// <summary>Empties the key and endpoint variables and the session for one test and puts back what was there.</summary>
public abstract class ProcessWideStateTest : IDisposable
{
#if NET
    private static readonly ProviderKind[] Providers = Enum.GetValues<ProviderKind>();
#else
    private static readonly ProviderKind[] Providers = (ProviderKind[])Enum.GetValues(typeof(ProviderKind));
#endif

    private static readonly string[] KeyVariables =
        [.. Providers.SelectMany(p => new[] { ApiCredential.Variable(p), ConnectionOptions.EndpointVariable(p) }),
         AzureDeployments.ApiVersionVariable, ManagedIdentityToken.EndpointVariable, ManagedIdentityToken.HeaderVariable];

    private readonly Dictionary<string, string?> _saved = KeyVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    /// <summary>A session of the test's own (the cmdlets keep one per runspace).</summary>
    private protected GptImageSession Session { get; } = new();

    protected ProcessWideStateTest()
    {
        foreach (var variable in KeyVariables) { Environment.SetEnvironmentVariable(variable, null); }
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved) { Environment.SetEnvironmentVariable(variable, value); }
    }
}
