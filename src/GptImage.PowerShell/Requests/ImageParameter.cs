namespace GptImage.Requests;

/// <summary>How a model takes its input images.</summary>
internal enum ImageParameter
{
    /// <summary>No input image.</summary>
    None,
    /// <summary><c>image</c>: one URL.</summary>
    One,
    /// <summary><c>images</c>: an array of URLs.</summary>
    Many,
}
