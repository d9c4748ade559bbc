using System;
using System.Collections.Generic;
using GptImage.Files;
using GptImage.Images;

namespace GptImage.Requests;

/// <summary>
/// Everything of an image task a cmdlet's parameters fix for all its inputs: the operations fill in the prompt
/// (New-GptImage) or the images (Edit-GptImage) and get a validated <see cref="ImageRequest"/>. It is the one way
/// a request is made, by the cmdlets and by the tests alike.
/// </summary>
internal sealed record ImageTemplate
{
    /// <summary>The provider the requests are for (the call's).</summary>
    public ProviderKind Provider { get; init; } = ProviderKind.WaveSpeed;
    /// <summary>The prompt of an edit (New-GptImage takes one per input instead).</summary>
    public string? Prompt { get; init; }
    /// <summary>-Model (null: the catalogue's default).</summary>
    public string? Model { get; init; }
    /// <summary>-Size.</summary>
    public string? Size { get; init; }
    /// <summary>-AspectRatio (WaveSpeed's gpt-image-2).</summary>
    public string? AspectRatio { get; init; }
    /// <summary>-Resolution (WaveSpeed's gpt-image-2).</summary>
    public string? Resolution { get; init; }
    /// <summary>-PartialImages: previews streamed before the final image (OpenAI).</summary>
    public int? PartialImages { get; init; }
    /// <summary>Where the previews of -PartialImages are written: the call's (or the input's) saving, null when not saving.</summary>
    public SaveOptions? PartialImagesTo { get; init; }
    /// <summary>-Quality.</summary>
    public string? Quality { get; init; }
    /// <summary>-Background.</summary>
    public string? Background { get; init; }
    /// <summary>-InputFidelity (edits).</summary>
    public string? InputFidelity { get; init; }
    /// <summary>-Mask (edits).</summary>
    public ImageSource? Mask { get; init; }
    /// <summary>-SyncMode.</summary>
    public bool SyncMode { get; init; }
    /// <summary>-Base64Output.</summary>
    public bool Base64Output { get; init; }
    /// <summary>-WebhookUri.</summary>
    public Uri? Webhook { get; init; }
    /// <summary>The Images API output options and -AdditionalParameter.</summary>
    public ImageOutputOptions? Output { get; init; }

    /// <summary>The text-to-image request for <paramref name="prompt"/>; throws InvalidParameter when it is not valid.</summary>
    public ImageRequest Generate(string prompt) => ImageRequest.Create(this, ImageOperation.Generate, prompt, Array.Empty<ImageSource>());

    /// <summary>The edit of <paramref name="images"/> with the template's prompt; throws InvalidParameter when it is not valid.</summary>
    public ImageRequest Edit(IEnumerable<ImageSource> images) => ImageRequest.Create(this, ImageOperation.Edit, Prompt ?? string.Empty, images);

    /// <summary>
    /// Refuses, before anything is sent, outputs that could not be saved as <paramref name="save"/> says: an -OutFile
    /// named for another format than the answer's (PNG on WaveSpeed), or already there, or a folder that is a file or
    /// read-only.
    /// </summary>
    public void CheckSave(SaveOptions save)
    {
        if (save is null) { throw new ArgumentNullException(nameof(save)); }
        var answered = Provider == ProviderKind.WaveSpeed ? null : Output?.Format;
        save.CheckOutFileFormat(answered ?? ImageFormat.Png);
        save.CheckDestination();
    }

    /// <summary>
    /// The request a cmdlet checks before reading any input: a sample prompt or a sample image URL in place of the
    /// inputs, so a setting shared by every input is refused once, before anything is sent.
    /// </summary>
    public ImageRequest Probe() => Prompt is null
        ? Generate("probe")
        : Edit(new[] { ImageSource.FromUri(new Uri("https://probe.invalid/image.png")) });
}
