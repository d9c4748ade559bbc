using GptImage.Commands.Base;
using GptImage.Operations;

namespace GptImage.Tests;

/// <summary>What the cmdlet layer makes of an <see cref="ErrorInfo"/>: tests assert on the ErrorRecord a cmdlet writes.</summary>
internal static class ErrorInfoRecords
{
    extension(ErrorInfo info)
    {
        /// <summary>The ErrorRecord's category, by name.</summary>
        public string Category => ErrorRecords.From(info).CategoryInfo.Category.ToString();

        /// <summary>The ErrorRecord's recommended action.</summary>
        public string? RecommendedAction => ErrorRecords.From(info).ErrorDetails?.RecommendedAction;
    }
}
