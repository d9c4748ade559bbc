namespace GptImage.Tests;

/// <summary>
/// Tests that count the result queries of real timed tasks run in this collection, after the rest of the suite and
/// one at a time: the timers and thread pool they measure are then not shared with dozens of other tests. They
/// still pass with both cores kept busy by another process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QueryCounts
{
    public const string Name = "Query counts of timed tasks";
}
