using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Approvals;

/// <summary>What a link decides.</summary>
public enum ApprovalChoice { Approve, Reject }

/// <summary>
/// A run has reached an approval gate: record the request, sign its links and tell the approvers.
/// <see cref="RequestedAt"/> comes from the orchestration clock, so a retried activity sends the
/// same request again (same links, no second notification once one went out).
/// </summary>
/// <param name="RunId">The run (orchestration instance id).</param>
/// <param name="Stack">The stack being delivered.</param>
/// <param name="Gate">The gate's name within the run, e.g. <c>approval</c>: letters, digits, '-' and '_'.</param>
/// <param name="Commit">The change, as git has it: shown on the page.</param>
/// <param name="ArtifactVersion">The artifact that production will receive.</param>
/// <param name="ChangeType">The change's type from delivery.yaml's changeTypes, if known.</param>
/// <param name="RequestedAt">When the run reached the gate (orchestration time).</param>
/// <param name="ExpiresAt">When the gate times out; the links expire then.</param>
/// <param name="Policy">Who may approve and how many must.</param>
/// <param name="TestResults">The test stages' results, shown on the page.</param>
/// <param name="Authors">
/// Who may not approve the change unless the policy allows it: git's author and committer of every commit it delivers,
/// and the caller who started the run.
/// </param>
public sealed record ApprovalGateRequest(
    string RunId,
    string Stack,
    string Gate,
    CommitInfo Commit,
    string ArtifactVersion,
    string? ChangeType,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    ApprovalPolicy Policy,
    IReadOnlyList<StageSummary> TestResults,
    IReadOnlyList<string> Authors);

/// <summary>One test stage's result as the approval page shows it.</summary>
public sealed record StageSummary(string Name, StageStatus Status, string? Detail = null);

/// <summary>
/// The links of one approval request. <see cref="RemindAt"/> is when the orchestrator should call
/// <see cref="ApprovalActivityNames.RemindApprovers"/> (null: no reminder is configured).
/// The activity adapters return these with the signatures redacted, so that no working link lands in
/// orchestration history; <see cref="ApprovalGate.RequestAsync"/> itself returns working links.
/// </summary>
public sealed record ApprovalLinks(string ApproveUrl, string RejectUrl, DateTimeOffset ExpiresAt, DateTimeOffset? RemindAt = null)
{
    public ApprovalLinks Redacted() => this with { ApproveUrl = ApprovalToken.Redact(ApproveUrl), RejectUrl = ApprovalToken.Redact(RejectUrl) };
}

/// <summary>Remind the approvers of a gate that is still waiting; <see cref="At"/> is the orchestration time.</summary>
public sealed record ApprovalReminderRequest(string RunId, string Gate, DateTimeOffset At);

/// <summary>Whether a reminder went out, and if not, why.</summary>
public sealed record ApprovalReminderResult(bool Sent, string Detail);
