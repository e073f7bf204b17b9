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
/// <param name="ResourceGroup">The resource group to deploy into: the target's, or the run's own for an ephemeral environment.</param>
/// <param name="Attempt">Part of the deterministic deployment name; a replayed activity finds the deployment of its attempt.</param>
/// <param name="Checks">The online checks to run after a test deployment, or null for none.</param>
public sealed record DeploymentRequest(
    string RunId,
    string Stack,
    EnvironmentTarget Target,
    StageKind Kind,
    string Version,
    string? ResourceGroup = null,
    string ChangeType = ChangeTypePolicy.DefaultType,
    int Attempt = 1,
    OnlineChecks? Checks = null)
{
    public string Environment => Target.Name;

    public string TargetResourceGroup => ResourceGroup ?? Target.ResourceGroup;
}

/// <summary>A deployment target's lock, asked for by a run (see <see cref="Deploy.EnvironmentLocks"/>).</summary>
public sealed record EnvironmentLockRequest(string Target, string RunId, DateTimeOffset QueuedAt);

/// <summary>A resource group made for one run, to delete when the run ends.</summary>
public sealed record EphemeralEnvironment(string Subscription, string ResourceGroup, string Environment);

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

/// <summary>A run that has built asks which older runs of its stack are still under way, to supersede them.</summary>
public sealed record SupersedeRequest(string Stack, string RunId, DateTimeOffset RequestedAt);

/// <summary>Sent to an older run: a newer change of its stack is on its way, so it stops at its next wait.</summary>
public sealed record SupersededBy(string RunId, string Commit);
