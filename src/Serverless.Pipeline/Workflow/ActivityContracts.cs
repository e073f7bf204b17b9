using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Workflow;

/// <param name="StackPath">The stack's folder in its repository; empty for the repository's root.</param>
public sealed record BuildRequest(string RunId, string Stack, CommitInfo Commit, string StackPath = "");

/// <summary>
/// A built artifact, by reference (its version, the blobs of its manifest and build log), with the
/// change's type and the stack's pipeline as delivery.yaml defined it at that commit.
/// </summary>
public sealed record BuildResult(
    string Version,
    string ManifestBlob,
    string LogBlob,
    string ChangeType,
    DateTimeOffset CommittedAt,
    DeliveryDefinition Definition,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);

/// <summary>Apply one artifact version to one environment.</summary>
public sealed record DeploymentRequest(string RunId, string Stack, EnvironmentTarget Target, StageKind Kind, string Version)
{
    public string Environment => Target.Name;
}

/// <summary>What the record stage writes: the run as it stands, and whether it has finished.</summary>
public sealed record RunRecord(PipelineInput Input, RunProgress Progress, DateTimeOffset RecordedAt);

/// <summary>
/// A person's answer at the approval gate. <paramref name="Verified"/>: <paramref name="By"/> comes from the
/// host's authentication rather than a typed name; <paramref name="Gate"/>: the gate decided (null: the run's only gate);
/// <paramref name="Source"/>: how it was given ("link" for a signed approval link, null for the API).
/// </summary>
public sealed record ApprovalDecision(
    bool Approved,
    string By,
    string? Comment,
    DateTimeOffset DecidedAt,
    bool Verified = false,
    string? Gate = null,
    string? Source = null);
