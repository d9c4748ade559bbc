using System;
using System.Collections;
using System.Management.Automation;

namespace GptImage.Commands.Arguments;

/// <summary>
/// Lets -Deployment take one name (the deployment of every model) or a hashtable from model name to deployment,
/// e.g. <c>@{ 'gpt-image-1' = 'images'; 'gpt-image-1-mini' = 'drafts' }</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DeploymentTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>The key a single name is kept under: it serves every model.</summary>
    internal const string AnyModel = "*";

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value is string name ? new Hashtable { [AnyModel] = name } : value;
    }
}
