namespace GptImage.Images;

/// <summary>An image format recognised by its first bytes.</summary>
internal enum ImageFormat
{
    /// <summary>Not an accepted image.</summary>
    Unknown,
    /// <summary>PNG.</summary>
    Png,
    /// <summary>JPEG.</summary>
    Jpeg,
    /// <summary>WebP.</summary>
    WebP,
}
