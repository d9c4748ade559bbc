namespace GptImage.Requests;

/// <summary>Generate from text, or edit given images.</summary>
internal enum ImageOperation
{
    /// <summary>Text to image.</summary>
    Generate,
    /// <summary>Image(s) plus text to image.</summary>
    Edit,
}
