using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Workflow;

/// <summary>
/// The input of one pipeline run. The stack's registration (its environments and the protection of production) is
/// copied in at start, so that re-registering a stack never changes a run that is under way.
/// </summary>
/// <param name="Commit">The stack's registered repository at a full commit id; its message and author are display hints until the build reads git.</param>
/// <param name="RequestedBy">Who asked for the run through the API (they may not approve it either); null for pushes.</param>
/// <param name="DeliveredSince">The push's previous head (null for a start through the API).</param>
public sealed record PipelineInput(
    string RunId,
    string Stack,
    CommitInfo Commit,
    StackGovernance Governance,
    DateTimeOffset RequestedAt,
    string StackPath = "",
    RollbackOrder? Rollback = null,
    string? RequestedBy = null,
    string? DeliveredSince = null);

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
