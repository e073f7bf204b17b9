namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Where an approval request stands, counted from the decisions recorded for it — never from event payloads, so that a
/// decision exists only when the one decision operation (<see cref="ApprovalDecisions"/>) recorded it. The orchestrator,
/// the approval trail and the links' issuing all count with this.
/// </summary>
/// <param name="Approvals">The approvals of distinct people, in the order they were made.</param>
/// <param name="Rejection">The first rejection, if any.</param>
public sealed record ApprovalTally(IReadOnlyList<ApprovalDecisionRecord> Approvals, ApprovalDecisionRecord? Rejection)
{
    public const string Open = "Open", Approved = "Approved", Rejected = "Rejected", Expired = "Expired";

    /// <summary>The decisions on the request's gate since it was requested (a newer request of the same run starts again).</summary>
    public static ApprovalTally Of(StoredApprovalRequest stored, IEnumerable<ApprovalDecisionRecord> decisions)
    {
        var request = stored.Request;
        var own = decisions.Where(d => d.Gate == request.Gate && d.DecidedAt >= request.RequestedAt).OrderBy(d => d.DecidedAt).ToList();
        var approvals = own.Where(d => d.Choice == ApprovalChoice.Approve).DistinctBy(d => d.By, StringComparer.OrdinalIgnoreCase).ToList();
        return new ApprovalTally(approvals, own.FirstOrDefault(d => d.Choice == ApprovalChoice.Reject));
    }

    /// <summary>Open, Approved, Rejected or Expired, for a request that needs <paramref name="minimumApprovals"/> and expires at <paramref name="expiresAt"/>.</summary>
    public string StatusAt(DateTimeOffset now, int minimumApprovals, DateTimeOffset expiresAt) =>
        Rejection is not null ? Rejected
        : Approvals.Count >= Math.Max(1, minimumApprovals) ? Approved
        : now >= expiresAt ? Expired
        : Open;
}

/// <summary>The orchestrator asks how a gate stands after it was woken by a decision event.</summary>
public sealed record ApprovalTallyRequest(string RunId, string Gate);
