using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Http;

/// <summary>The answer of <c>GET /api/runs/{id}/approvals</c>: requests, decisions and the audit trail, oldest first. Never a link or a nonce.</summary>
public sealed record ApprovalTrailView(
    string RunId,
    IReadOnlyList<ApprovalRequestView> Requests,
    IReadOnlyList<ApprovalDecisionView> Decisions,
    IReadOnlyList<ApprovalAuditEntry> Audit)
{
    public static ApprovalTrailView From(ApprovalTrail trail, DateTimeOffset now)
    {
        var requests = trail.Requests.Select(stored =>
        {
            var request = stored.Request;
            var decisions = trail.Decisions.Where(d => d.Gate == request.Gate && d.DecidedAt >= request.RequestedAt).ToList();
            var approvers = decisions.Where(d => d.Choice == ApprovalChoice.Approve).Select(d => d.By).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            var status = decisions.Any(d => d.Choice == ApprovalChoice.Reject) ? "Rejected"
                : approvers >= request.Policy.MinimumApprovals ? "Approved"
                : now >= request.ExpiresAt ? "Expired"
                : "Open";
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
