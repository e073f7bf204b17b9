namespace Serverless.Pipeline.Stacks;

/// <summary>A registered infrastructure stack: where its source lives and where it is delivered.</summary>
public sealed record StackDefinition(
    string Name,
    string Repository,
    IReadOnlyList<string> TestEnvironments,
    IReadOnlyList<string> ProductionInstances,
    TimeSpan ApprovalTimeout,
    DateTimeOffset RegisteredAt);
