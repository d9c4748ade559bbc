namespace GptImage.Emulator;

/// <summary>What the served PNG images contain.</summary>
public enum ImageContent
{
    /// <summary>A smooth deterministic pattern: small files, fast tests.</summary>
    Pattern,
    /// <summary>Deterministic noise stored uncompressed: files of several MB, as real photos are.</summary>
    Noise,
}
