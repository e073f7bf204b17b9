using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// The approvals slice's surface. The link routes are anonymous: the signed, expiring, once-only token in the URL is
/// the credential (approvers hold no API key). Handing out an open request's links is for operators, and audited.
/// </summary>
public static class ApprovalsSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Post("DecideApproval", Routes.RunApproval, AccessLevel.Operator, call => call.Service<RunApi>().DecideAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
        ApiEndpoint.Get("ApprovalPage", ApprovalRoutes.Link, AccessLevel.Anonymous, call => call.Service<ApprovalApi>().PageAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
        ApiEndpoint.Post("ApprovalDecide", ApprovalRoutes.Link, AccessLevel.Anonymous, call => call.Service<ApprovalApi>().DecideAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
        ApiEndpoint.Get("ListRunApprovals", ApprovalRoutes.RunApprovals, AccessLevel.Reader, call => call.Service<ApprovalApi>().ListAsync(call.Request, call.Value)),
        ApiEndpoint.Post("IssueApprovalLinks", ApprovalRoutes.RunApprovalLinks, AccessLevel.Operator, call => call.Service<ApprovalLinksApi>().IssueAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
    ];

    public static IReadOnlyList<WorkflowActivity> Activities { get; } =
    [
        // The links come back with their signatures redacted, so that no working link lands in orchestration history.
        WorkflowActivity.Of<ApprovalGate, ApprovalGateRequest, ApprovalLinks>(ApprovalActivityNames.RequestApproval, async (gate, request) => (await gate.RequestAsync(request)).Redacted()),
        WorkflowActivity.Of<ApprovalGate, ApprovalReminderRequest, ApprovalReminderResult>(ApprovalActivityNames.RemindApprovers, (gate, request) => gate.RemindAsync(request)),
        WorkflowActivity.Of<ApprovalGate, ApprovalTallyRequest, ApprovalTally>(ApprovalActivityNames.TallyApprovals, (gate, request) => gate.TallyAsync(request)),
    ];
}
