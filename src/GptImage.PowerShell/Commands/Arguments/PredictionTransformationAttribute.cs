using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using GptImage.Files;

namespace GptImage.Commands.Arguments;

/// <summary>
/// Lets a prediction read back from outside the session bind as a <see cref="Prediction"/>: a deserialized one
/// (Import-Clixml, Receive-Job of a process job), one from ConvertFrom-Json, or a hashtable, each turned into a
/// reference that keeps only its Id and Provider (<see cref="PredictionReference"/>). A live prediction passes as it
/// is; any other value is left to the binder (a string still binds to -Id).
/// </summary>
internal sealed class PredictionTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is object[] array) { return array.Select(One).ToArray(); }
        return One(inputData);
    }

    private static object? One(object? item)
    {
        var value = item is PSObject ps ? ps.BaseObject : item;
        if (value is Prediction || !PredictionReference.IsRecord(value)) { return item; }
        try
        {
            // A PSCustomObject's properties are on its PSObject.
            return PredictionReference.From(value is IDictionary ? value : item!, KeptOutputs.Folder);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
        catch (GptImageException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
