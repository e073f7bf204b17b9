using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Workflow;

/// <param name="Commit">The change: the stack's registered repository at a full commit id.</param>
/// <param name="StackPath">The stack's folder in its repository; empty for the repository's root.</param>
/// <param name="Governance">The stack's registration as it was when the run started: environments and the protection of production.</param>
/// <param name="DeliveredSince">The push's previous head, if the run came from a push: what the change is measured from until production runs a release.</param>
public sealed record BuildRequest(
    string RunId,
    string Stack,
    CommitInfo Commit,
    string StackPath,
    StackGovernance Governance,
    string? DeliveredSince = null);

/// <summary>
/// A built artifact, by reference (its version, the blobs of its manifest and build log), with the change's type, the
/// stack's pipeline as delivery.yaml defined it at that commit (its environments resolved against the registration),
/// and what git says about the change.
/// </summary>
/// <param name="Commit">The commit as git has it: full id, message, author, commit time (the one source of the change's time).</param>
/// <param name="Authors">Every author and committer of the commits the change delivers: none of them may approve it unless the policy allows.</param>
/// <param name="OnProductionBranch">Whether the commit is on a branch production takes commits from.</param>
public sealed record BuildResult(
    string Version,
    string ManifestBlob,
    string LogBlob,
    string ChangeType,
    DeliveryDefinition Definition,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    CommitInfo Commit,
    IReadOnlyList<string> Authors,
    bool OnProductionBranch);

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
