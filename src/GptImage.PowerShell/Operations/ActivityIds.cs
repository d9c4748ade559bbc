namespace GptImage.Operations;

/// <summary>
/// The progress activity ids, one per cmdlet: in <c>New-GptImage | Wait-GptImagePrediction</c> each keeps
/// its own bar and title, and New's ending does not close Wait's.
/// </summary>
internal static class ActivityIds
{
    /// <summary>New-GptImage.</summary>
    public const int New = 0x6A1;
    /// <summary>Edit-GptImage.</summary>
    public const int Edit = 0x6A2;
    /// <summary>Get-GptImagePrediction.</summary>
    public const int Get = 0x6A3;
    /// <summary>Wait-GptImagePrediction.</summary>
    public const int Wait = 0x6A4;
    /// <summary>Save-GptImage.</summary>
    public const int Save = 0x6A5;
}
