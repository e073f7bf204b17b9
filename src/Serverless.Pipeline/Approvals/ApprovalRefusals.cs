namespace Serverless.Pipeline.Approvals;

/// <summary>Why a link was refused, as recorded in the audit trail and returned in problem details (<c>reason</c>).</summary>
public static class ApprovalRefusals
{
    /// <summary>403: not an approval link at all.</summary>
    public const string Malformed = "malformed";

    /// <summary>403: signed with a key this host does not have (never configured, or removed after rotation).</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>403: the signature does not match; the link was altered.</summary>
    public const string BadSignature = "bad-signature";

    /// <summary>410: the link expired with the gate's timeout.</summary>
    public const string Expired = "expired";

    /// <summary>404: no request was recorded for this run and gate.</summary>
    public const string NoRequest = "no-request";

    /// <summary>409: the gate was requested again (a new attempt of the run) and this link belongs to the old request.</summary>
    public const string LinkReplaced = "link-replaced";

    /// <summary>409: the link (or, on multi-approval gates, this person on this link) has decided already.</summary>
    public const string Replayed = "replayed";

    /// <summary>403: the change's author may not approve it.</summary>
    public const string SelfApproval = ApprovalPolicyCheck.SelfApproval;

    /// <summary>403: not one of the allowed approvers or groups.</summary>
    public const string NotAllowed = ApprovalPolicyCheck.NotAllowed;

    /// <summary>403: the host requires a signed-in approver (Approvals:RequireVerifiedIdentity).</summary>
    public const string Unverified = ApprovalPolicyCheck.Unverified;

    /// <summary>403: deciding through the API, the caller is not one of the stack's operators (nor an Admin), or is not identified.</summary>
    public const string NotOperator = "not-operator";

    /// <summary>409: the run has finished.</summary>
    public const string RunFinished = "run-finished";

    /// <summary>409: a newer commit of the stack superseded the run.</summary>
    public const string Superseded = "superseded";

    /// <summary>409: the run is not waiting at an approval gate (it moved on, or is not there yet).</summary>
    public const string RunNotWaiting = "run-not-waiting";
}

/// <summary>Values of <see cref="ApprovalAuditEntry.Action"/> and <see cref="ApprovalAuditEntry.Outcome"/>.</summary>
public static class ApprovalAudit
{
    public const string Request = "request";
    public const string Notify = "notify";
    public const string Remind = "remind";
    public const string View = "view";
    public const string Decide = "decide";

    /// <summary>Someone with API access obtained the links of an open request (<c>POST /api/runs/{id}/approvals/links</c>).</summary>
    public const string Issue = "issue";

    public const string Requested = "Requested";
    public const string Notified = "Notified";
    public const string NotificationFailed = "NotificationFailed";
    public const string Reminded = "Reminded";
    public const string Viewed = "Viewed";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";
    public const string Refused = "Refused";
    public const string LinksIssued = "LinksIssued";

    /// <summary>A recorded decision taken back because the run could not be told of it.</summary>
    public const string Withdrawn = "Withdrawn";
}
