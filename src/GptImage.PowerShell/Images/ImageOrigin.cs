namespace GptImage.Images;

/// <summary>
/// Whose image <see cref="BoundedImageReader"/> reads, which decides the kind of a refusal: a user's file is
/// InvalidFile (the user can pick another), a service's output is InvalidResponse (the service sent it).
/// </summary>
internal enum ImageOrigin
{
    /// <summary>A file the user named: an input, a mask, the source of an edit.</summary>
    UserFile,
    /// <summary>An image a service made (a saved or kept output).</summary>
    ServiceOutput,
}
