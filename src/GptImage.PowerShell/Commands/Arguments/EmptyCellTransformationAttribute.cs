using System.Management.Automation;

namespace GptImage.Commands.Arguments;

/// <summary>
/// Turns an empty or blank value (an empty CSV cell) into the parameter's "not given" value, so a row that leaves a
/// column empty gets the default instead of an empty string (or a compression of 0).
/// </summary>
public sealed class EmptyCellTransformationAttribute : ArgumentTransformationAttribute
{
    private readonly object? _notGiven;

    /// <summary>An empty cell becomes null.</summary>
    public EmptyCellTransformationAttribute() { }

    /// <summary>An empty cell becomes <paramref name="notGiven"/> (e.g. -1 for a number whose default is "none").</summary>
    public EmptyCellTransformationAttribute(int notGiven) => _notGiven = notGiven;

    /// <summary>
    /// Whether a number is taken as "not given": a file piped to Edit-GptImage has a Size (its length in bytes) that
    /// would otherwise bind to -Size.
    /// </summary>
    public bool NumberIsNotGiven { get; set; }

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject ps ? ps.BaseObject : inputData) switch
        {
            string text when string.IsNullOrWhiteSpace(text) => _notGiven,
            long or int when NumberIsNotGiven => _notGiven,
            _ => inputData,
        };
}
