namespace Serverless.Pipeline.Runs;

/// <summary>
/// What a run has done so far. The orchestrator publishes it as its custom status after every step
/// and records it in Table storage at each milestone.
/// </summary>
/// <param name="Commit">The commit as the build read it from git (its full id, message, author and commit time); null until the build.</param>
public sealed record RunProgress(
    RunStatus Status,
    IReadOnlyList<StageExecution> Stages,
    IReadOnlyList<DeploymentRecord> Deployments,
    string? ArtifactVersion = null,
    string? ManifestBlob = null,
    string? Reason = null,
    DateTimeOffset? FinishedAt = null,
    string? BuildLog = null,
    string? ChangeType = null,
    CommitInfo? Commit = null);
