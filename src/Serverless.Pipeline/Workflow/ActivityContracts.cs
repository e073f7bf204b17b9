using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Workflow;

public sealed record BuildRequest(string RunId, string Stack, CommitInfo Commit);

/// <summary>A built artifact, by reference: its version and the blob that holds its manifest.</summary>
public sealed record BuildResult(string Version, string ManifestBlob, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);

public sealed record DeploymentRequest(string RunId, string Stack, string Environment, StageKind Kind, string Version);

/// <summary>What the record stage writes: the run as it stands, and whether it has finished.</summary>
public sealed record RunRecord(PipelineInput Input, RunProgress Progress, DateTimeOffset RecordedAt);

/// <summary>A person's answer at the approval gate.</summary>
public sealed record ApprovalDecision(bool Approved, string By, string? Comment, DateTimeOffset DecidedAt);
