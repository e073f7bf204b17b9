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
    string StackPath = "",
    RollbackOrder? Rollback = null,
    string? RequestedBy = null);

/// <summary>
/// A run that redelivers an earlier release's artifact as a remediation: it builds the release's commit
/// again (builds are deterministic, so the version must come out the same) and applies it through the
/// same path, to every environment or to one.
/// </summary>
/// <param name="Replaces">The release being remediated (the newest one, which the rollback undoes).</param>
/// <param name="RestoresRun">The earlier run whose artifact is delivered again.</param>
public sealed record RollbackOrder(string Version, string Replaces, string RestoresRun, string? Environment = null);

/// <summary>How a run ended.</summary>
public sealed record PipelineResult(RunStatus Status, string? ArtifactVersion, string? Reason);
