using System;
using System.Management.Automation;

namespace GptImage.Commands.Arguments;

/// <summary>Turns a plain string into a SecureString, so -ApiKey takes either (Get-Secret returns SecureString).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value is string text ? ToSecureString(text) : value;
    }

    /// <summary>A read-only SecureString holding <paramref name="text"/>.</summary>
    internal static System.Security.SecureString ToSecureString(string text)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in text) { secure.AppendChar(c); }
        secure.MakeReadOnly();
        return secure;
    }
}
