using GptImage.Operations;

namespace GptImage.Tests;

/// <summary>
/// The ErrorRecord the cmdlet layer makes of an <see cref="ErrorInfo"/> needs PowerShell's System.Management.Automation,
/// which no .NET Framework process has here: the tests that read it are filtered out of this project (see its
/// VSTestTestCaseFilter) and run in tests/GptImage.Tests.
/// </summary>
internal static class ErrorInfoRecords
{
    extension(ErrorInfo info)
    {
        public string Category => throw new NotSupportedException("An ErrorRecord's category needs PowerShell.");

        public string? RecommendedAction => throw new NotSupportedException("An ErrorRecord's recommended action needs PowerShell.");
    }
}
