using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Workflow;

/// <summary>
/// The input of one pipeline run. The stack's environments are copied in at start,
/// so that re-registering a stack never changes a run that is under way.
/// </summary>
public sealed record PipelineInput(
    string RunId,
    string Stack,
    CommitInfo Commit,
    IReadOnlyList<string> TestEnvironments,
    IReadOnlyList<string> ProductionInstances,
    TimeSpan ApprovalTimeout,
    DateTimeOffset RequestedAt,
    string StackPath = "");

/// <summary>How a run ended.</summary>
public sealed record PipelineResult(RunStatus Status, string? ArtifactVersion, string? Reason);
