using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Approvals;

/// <summary>The answer of <c>GET /api/runs/{id}/approvals</c>: requests, decisions and the audit trail, oldest first. Never a link or a nonce.</summary>
public sealed record ApprovalTrailView(
    string RunId,
    IReadOnlyList<ApprovalRequestView> Requests,
    IReadOnlyList<ApprovalDecisionView> Decisions,
    IReadOnlyList<ApprovalAuditEntry> Audit)
{
    /// <summary>The statuses of a request.</summary>
    public const string Open = ApprovalTally.Open, Approved = ApprovalTally.Approved, Rejected = ApprovalTally.Rejected, Expired = ApprovalTally.Expired;

    public static ApprovalTrailView From(ApprovalTrail trail, DateTimeOffset now)
    {
        var requests = trail.Requests.Select(stored =>
        {
            var request = stored.Request;
            var (status, approvers) = StatusOf(stored, trail.Decisions, now);
            return new ApprovalRequestView(
                request.Gate, request.Stack, request.Commit, request.ArtifactVersion, request.ChangeType,
                request.RequestedAt, request.ExpiresAt, status, approvers, request.Policy, request.TestResults,
                stored.Notification, stored.RemindedAt);
        }).OrderBy(r => r.RequestedAt).ToList();
        var decisionViews = trail.Decisions.Select(d => new ApprovalDecisionView(
            d.Gate, d.Choice == ApprovalChoice.Approve ? "approve" : "reject", d.By, d.Verified, d.AuthType, d.Comment,
            d.RequestedAt, d.DecidedAt, d.WaitSeconds, d.SourceAddress)).ToList();
        return new ApprovalTrailView(trail.RunId, requests, decisionViews, [.. trail.Audit.OrderBy(a => a.At)]);
    }

    /// <summary>
    /// Where a request stands (Open, Approved, Rejected or Expired) and how many distinct people approved it,
    /// counting the decisions on its gate since it was requested.
    /// </summary>
    public static (string Status, int Approvals) StatusOf(StoredApprovalRequest stored, IEnumerable<ApprovalDecisionRecord> decisions, DateTimeOffset now)
    {
        var tally = ApprovalTally.Of(stored, decisions);
        return (tally.StatusAt(now, stored.Request.Policy.MinimumApprovals, stored.Request.ExpiresAt), tally.Approvals.Count);
    }
}

/// <summary>One approval request. <see cref="Status"/>: Open, Approved, Rejected or Expired.</summary>
public sealed record ApprovalRequestView(
    string Gate,
    string Stack,
    CommitInfo Commit,
    string ArtifactVersion,
    string? ChangeType,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    string Status,
    int Approvals,
    ApprovalPolicy Policy,
    IReadOnlyList<StageSummary> TestResults,
    NotificationState Notification,
    DateTimeOffset? RemindedAt);

/// <summary>One decision; <see cref="WaitSeconds"/> is the time from the request to it.</summary>
public sealed record ApprovalDecisionView(
    string Gate,
    string Decision,
    string By,
    bool Verified,
    string? AuthType,
    string? Comment,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecidedAt,
    double WaitSeconds,
    string? SourceAddress);
