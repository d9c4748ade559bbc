using System;
using System.Globalization;

namespace GptImage.Requests;

/// <summary>
/// The sizes a model with flexible sizes (gpt-image-2 on the Images API) takes, as OpenAI documents them in the official
/// <c>openai</c> npm package 6.49.0, resources/images.d.ts: "arbitrary resolutions are supported as WIDTHxHEIGHT …
/// Width and height must both be divisible by 16 and the requested aspect ratio must be between 1:3 and 3:1 …
/// the maximum supported resolution is 3840x2160. The requested size must also satisfy the model's current pixel and
/// edge limits." Those current limits are not stated, so beyond these rules (a longest side of 3840, at most
/// 3840 × 2160 pixels) the service decides; a minimum is not checked either.
/// </summary>
internal static class FlexibleSize
{
    /// <summary>The longest side of the largest documented size (3840x2160).</summary>
    public const int MaxEdge = 3840;

    /// <summary>The pixels of the largest documented size.</summary>
    public const long MaxPixels = 3840L * 2160;

    /// <summary>Why <paramref name="size"/> (normalized WxH) is not taken, or null when it is.</summary>
    public static string? Problem(string size)
    {
        var parts = size.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height) || width <= 0 || height <= 0)
        {
            return "is not auto or WIDTHxHEIGHT";
        }
        if (width % 16 != 0 || height % 16 != 0) { return "has a side that is not a multiple of 16"; }
        if (Math.Max(width, height) > 3L * Math.Min(width, height)) { return "has an aspect ratio beyond 3:1"; }
        if (Math.Max(width, height) > MaxEdge) { return $"has a side longer than {MaxEdge}"; }
        if ((long)width * height > MaxPixels) { return $"has more pixels than 3840x2160 ({MaxPixels})"; }
        return null;
    }
}
