using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// How a decision was asked for: through a signed approval link, or through the API by an authenticated caller (the
/// dashboard and <c>POST /api/runs/{id}/approval</c>), who must also be allowed to operate the stack.
/// </summary>
public enum DecisionChannel { Link, Api }

/// <summary>A person's decision on an open approval request, as a route asks for it.</summary>
/// <param name="Who">The approver: the authenticated caller, or (where the host allows it) a typed, unverified name.</param>
/// <param name="Caller">The API's authenticated caller on <see cref="DecisionChannel.Api"/> (checked against the stack's operators); null for links.</param>
public sealed record DecisionAttempt(
    StoredApprovalRequest Request,
    ApprovalChoice Choice,
    ApproverIdentity Who,
    string? Comment,
    DecisionChannel Channel,
    Caller? Caller,
    string? SourceAddress,
    string? UserAgent);

/// <summary>The outcome: the recorded decision (202), or the refusal's status, reason (<see cref="ApprovalRefusals"/>) and detail.</summary>
public sealed record DecisionOutcome(int Status, string? Reason, string Detail, ApprovalDecisionRecord? Recorded)
{
    public bool Succeeded => Recorded is not null;
}

/// <summary>
/// The one place that decides an approval, whichever route it comes in on. In order: the host's identity rule (signed-in
/// approvers only, if configured) → the stack's operators (API only) → once per link, or per person where several must
/// approve → the approver policy and the author rule (git's authors and committers of the delivered commits, and who
/// started the run) → the run still waiting at the gate → the once-only decision row → the audit entry → only then the
/// event that wakes the run, which counts the recorded decisions (<see cref="ApprovalTally"/>), never the event's payload.
/// Every refusal is audited.
/// </summary>
public sealed class ApprovalDecisions(ApprovalStore store, StackStore stacks, IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<ApprovalDecisions> log)
{
    public const string LinkSource = "link";
    public const string ApiSource = "api";

    public async Task<DecisionOutcome> DecideAsync(DecisionAttempt attempt, DurableTaskClient engine, CancellationToken cancellation = default)
    {
        var stored = attempt.Request;
        var request = stored.Request;
        var who = attempt.Who;

        if (options.Value.RequireVerifiedIdentity && !who.Verified)
            return await RefuseAsync(attempt, StatusCodes.Status403Forbidden, ApprovalRefusals.Unverified,
                "Sign in to decide: this host accepts decisions only from verified approvers, not typed names.");

        if (attempt.Channel == DecisionChannel.Api && await OperatorRefusalAsync(attempt, request.Stack, cancellation) is { } notOperator)
            return await RefuseAsync(attempt, StatusCodes.Status403Forbidden, ApprovalRefusals.NotOperator, notOperator);

        var decisionKey = DecisionKey(stored, attempt.Choice, who);
        if (await store.DecisionExistsAsync(request.RunId, decisionKey, cancellation))
            return await RefuseAsync(attempt, StatusCodes.Status409Conflict, ApprovalRefusals.Replayed, UsedDetail(stored, attempt.Choice));

        if (ApprovalPolicyCheck.Check(request.Policy, who, attempt.Choice, request.Authors) is { } policyRefusal)
            return await RefuseAsync(attempt, StatusCodes.Status403Forbidden, policyRefusal.Reason, policyRefusal.Detail);

        if (await ApprovalRunState.CheckAsync(engine, request.RunId, cancellation) is { } runRefusal)
            return await RefuseAsync(attempt, StatusCodes.Status409Conflict, runRefusal.Reason, runRefusal.Detail);

        // From here on the decision is made: finish it even if the caller goes away.
        var decidedAt = clock.GetUtcNow();
        var record = new ApprovalDecisionRecord(request.RunId, request.Gate, attempt.Choice, who.Name, who.Verified, who.AuthType, attempt.Comment,
            request.RequestedAt, decidedAt, Math.Max(0, (decidedAt - request.RequestedAt).TotalSeconds), attempt.SourceAddress, Source(attempt.Channel));
        if (!await store.TryRecordDecisionAsync(decisionKey, record, CancellationToken.None))
            return await RefuseAsync(attempt, StatusCodes.Status409Conflict, ApprovalRefusals.Replayed, UsedDetail(stored, attempt.Choice));

        var outcome = attempt.Choice == ApprovalChoice.Approve ? ApprovalAudit.Approved : ApprovalAudit.Rejected;
        await AuditAsync(request.RunId, new ApprovalAuditEntry(decidedAt, request.Gate, ApprovalAudit.Decide, outcome, Status: StatusCodes.Status202Accepted,
            Detail: Via(attempt, attempt.Comment), Decision: Choice(attempt.Choice), Identity: who.Name, Verified: who.Verified,
            SourceAddress: attempt.SourceAddress, UserAgent: attempt.UserAgent));
        var wakeUp = new ApprovalDecision(attempt.Choice == ApprovalChoice.Approve, who.Name, attempt.Comment, decidedAt, who.Verified, request.Gate, Source(attempt.Channel));
        try
        {
            await engine.RaiseEventAsync(request.RunId, PipelineNames.ApprovalDecisionEvent, wakeUp, CancellationToken.None);
        }
        catch
        {
            // Not delivered: take the decision back, so that the person can try again.
            await store.RemoveDecisionAsync(request.RunId, decisionKey, CancellationToken.None);
            await AuditAsync(request.RunId, new ApprovalAuditEntry(clock.GetUtcNow(), request.Gate, ApprovalAudit.Decide, ApprovalAudit.Withdrawn,
                Detail: "the run could not be told; the decision was taken back", Decision: Choice(attempt.Choice), Identity: who.Name, Verified: who.Verified,
                SourceAddress: attempt.SourceAddress, UserAgent: attempt.UserAgent));
            throw;
        }

        log.LogInformation("Run {RunId} gate {Gate} {Outcome} by {By} ({Verification}, {Channel}) from {Source} after {WaitSeconds:0} s",
            request.RunId, request.Gate, outcome.ToLowerInvariant(), who.Name, who.Verified ? "verified" : "unverified", Source(attempt.Channel),
            attempt.SourceAddress, record.WaitSeconds);
        return new DecisionOutcome(StatusCodes.Status202Accepted, null, "recorded", record);
    }

    /// <summary>Records a refusal in the run's audit trail (or the unattributed partition) and logs it; storage trouble is logged, not thrown.</summary>
    public async Task AuditRefusalAsync(string? runId, string? gate, string action, ApprovalChoice? choice, ApproverIdentity? who,
        int status, string reason, string detail, string? sourceAddress, string? userAgent)
    {
        await AuditAsync(runId, new ApprovalAuditEntry(clock.GetUtcNow(), gate, action, ApprovalAudit.Refused, reason, status, detail,
            choice is null ? null : Choice(choice.Value), who?.Name, who?.Verified ?? false, sourceAddress, userAgent));
        log.LogWarning("Approval decision refused ({Reason}, {Status}) for run {RunId} gate {Gate} {Action} by {Identity} from {Source}: {Detail}",
            reason, status, runId ?? "(unreadable)", gate, action, who?.Name ?? "(anonymous)", sourceAddress, detail);
    }

    /// <summary>
    /// The row key that records a decision, and whose insertion consumes it: once per link (a reject, or the approve link of
    /// a one-approval gate), or once per person on the approve link of a gate that needs several approvals. The API decides
    /// under the same keys as the links, so that a person cannot decide once by link and again through the API.
    /// </summary>
    public static string DecisionKey(StoredApprovalRequest stored, ApprovalChoice choice, ApproverIdentity? who) =>
        choice == ApprovalChoice.Approve && stored.Request.Policy.MinimumApprovals > 1
            ? ApprovalStore.DecisionKey(stored.Request.Gate, stored.NonceFor(choice), who?.Key ?? throw new ArgumentNullException(nameof(who)))
            : ApprovalStore.DecisionKey(stored.Request.Gate, stored.NonceFor(choice));

    /// <summary>Whether the decision key of this person on this link can be known yet (not for anonymous views of a multi-approval approve link).</summary>
    public static bool KeyKnown(StoredApprovalRequest stored, ApprovalChoice choice, ApproverIdentity? who) =>
        who is not null || !(choice == ApprovalChoice.Approve && stored.Request.Policy.MinimumApprovals > 1);

    public static string UsedDetail(StoredApprovalRequest stored, ApprovalChoice choice) =>
        choice == ApprovalChoice.Approve && stored.Request.Policy.MinimumApprovals > 1
            ? "You have decided on this approval already; each approver can approve once."
            : "This decision has been made already; each link works once.";

    private async Task<string?> OperatorRefusalAsync(DecisionAttempt attempt, string stackName, CancellationToken cancellation)
    {
        if (attempt.Caller is not { } caller)
            return "Deciding through the API needs an identified caller (an API key, a signed-in user); an unnamed caller, such as a function key, may not decide.";
        var stack = await stacks.FindAsync(stackName, cancellation);
        return stack is null || StackAccess.Permits(stack, caller) ? null
            : $"'{caller.Name}' may not decide on stack '{stack.Name}': only its operators ({string.Join(", ", stack.Operators!)}) and Admins may.";
    }

    private async Task<DecisionOutcome> RefuseAsync(DecisionAttempt attempt, int status, string reason, string detail)
    {
        var request = attempt.Request.Request;
        await AuditRefusalAsync(request.RunId, request.Gate, ApprovalAudit.Decide, attempt.Choice, attempt.Who, status, reason, Via(attempt, detail)!,
            attempt.SourceAddress, attempt.UserAgent);
        return new DecisionOutcome(status, reason, detail, null);
    }

    /// <summary>Writes an audit entry; storage trouble is logged, never thrown (the action it records has happened or been refused).</summary>
    public async Task AuditAsync(string? runId, ApprovalAuditEntry entry)
    {
        try
        {
            await store.AuditAsync(runId, entry, CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            log.LogError(e, "Could not write the approval audit entry {Outcome} ({Reason}) of run {RunId}", entry.Outcome, entry.Reason, runId);
        }
    }

    private static string? Via(DecisionAttempt attempt, string? text) =>
        attempt.Channel == DecisionChannel.Api
            ? $"through the API as {attempt.Caller?.Name ?? "an unnamed caller"}{(string.IsNullOrWhiteSpace(text) ? "" : $": {text}")}"
            : text;

    private static string Source(DecisionChannel channel) => channel == DecisionChannel.Api ? ApiSource : LinkSource;

    private static string Choice(ApprovalChoice choice) => choice == ApprovalChoice.Approve ? "approve" : "reject";
}
