using System.Collections.Generic;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>Output options of the OpenAI-style Images API (refused by WaveSpeed).</summary>
internal sealed class ImageOutputOptions
{
    /// <summary>png, jpeg or webp (parse a name with <see cref="ImageFiles.FormatNamed"/>).</summary>
    public ImageFormat? Format { get; init; }
    /// <summary>0–100, jpeg/webp only.</summary>
    public int? Compression { get; init; }
    /// <summary>low or auto.</summary>
    public string? Moderation { get; init; }
    /// <summary>Images per request (n).</summary>
    public int? Count { get; init; }
    /// <summary>url or b64_json (AIML API; OpenAI answers b64_json only).</summary>
    public string? ResponseFormat { get; init; }
    /// <summary>Body fields the module does not know yet, sent as given (-AdditionalParameter).</summary>
    public IReadOnlyDictionary<string, object?>? AdditionalParameters { get; init; }
}
