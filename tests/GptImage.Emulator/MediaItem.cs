namespace GptImage.Emulator;

/// <summary>A file uploaded through either upload flow.</summary>
internal sealed class MediaItem
{
    public required string Token { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long DeclaredSize { get; init; }
    public byte[]? Data { get; set; }
}
