using System.Management.Automation;

namespace GptImage.Commands.Arguments;

/// <summary>
/// Takes a prompt from a string, or from the Prompt property or key of an object or hashtable; refuses any other
/// object (a FileInfo, a hashtable without Prompt) instead of submitting its text as a paid prompt.
/// </summary>
public sealed class PromptTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        switch (value)
        {
            case null:
            case string:
                return value;
            case System.Collections.IDictionary dictionary when dictionary.Contains("Prompt"):
                return Transform(engineIntrinsics, dictionary["Prompt"]!);
        }
        if (value is not System.Collections.IDictionary && PSObject.AsPSObject(inputData).Properties["Prompt"]?.Value is { } prompt)
        {
            return Transform(engineIntrinsics, prompt);
        }
        throw new ArgumentTransformationMetadataException(
            $"A {value.GetType().Name} is not a prompt: give a string, or an object or hashtable with a Prompt property. Nothing was submitted for it.");
    }
}
