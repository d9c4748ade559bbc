using System;
using System.Collections.Generic;
using System.Linq;

namespace GptImage.Files;

/// <summary>
/// How many outputs of one task are taken: the one rule every reader of an answer applies (WaveSpeed answers,
/// history items and webhook deliveries, Images API answers, base64 outputs), so an answer with thousands of
/// outputs writes no more than <see cref="MaxPerTask"/> files. The task is paid for: the outputs beyond are
/// dropped and counted on the prediction, never a failure.
/// </summary>
internal static class TaskOutputs
{
    /// <summary>The most outputs taken from one task (the Images API's n goes up to 10).</summary>
    public const int MaxPerTask = 16;

    /// <summary>The first <see cref="MaxPerTask"/> of <paramref name="outputs"/>; <paramref name="dropped"/> says how many more there were.</summary>
    public static IReadOnlyList<T> Keep<T>(IReadOnlyList<T> outputs, out int dropped)
    {
        dropped = Math.Max(0, outputs.Count - MaxPerTask);
        return dropped == 0 ? outputs : outputs.Take(MaxPerTask).ToArray();
    }

    /// <summary>Whether output <paramref name="index"/> (0-based) is one taken.</summary>
    public static bool Keeps(int index) => index < MaxPerTask;

    /// <summary>The warning for a prediction whose outputs were cut to the cap, or null.</summary>
    public static string? Warning(Prediction prediction) => prediction.OutputsDropped > 0
        ? $"Prediction {prediction.Id}: the service gave {prediction.OutputsDropped + MaxPerTask} outputs; the first {MaxPerTask} are taken and " +
          $"{prediction.OutputsDropped} dropped (at most {MaxPerTask} per task; see OutputsDropped)."
        : null;

    /// <summary>The warning for base64 images a prediction holds but no file does yet (where they are kept, how to save them), or null.</summary>
    public static string? UnsavedWarning(Prediction prediction) => prediction.Base64Images > 0 && prediction.Files.Count == 0
        ? $"Prediction {prediction.Id}: its {prediction.Base64Images} image(s) are base64 in its result at the service (kept 7 days), " +
          $"not saved: Get-GptImagePrediction -Id {prediction.Id} | Save-GptImage -OutputDirectory <folder> writes them."
        : null;
}
