using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;

namespace Serverless.Functions;

/// <summary>
/// The approval links, the approval trail and the approval gate's activities. The link routes are anonymous:
/// the signed, expiring, once-only token in the URL is the credential (approvers have no function key).
/// With App Service authentication in front, the approver's identity arrives in X-MS-CLIENT-PRINCIPAL.
/// </summary>
public sealed class ApprovalFunctions(ApprovalApi approvals, ApprovalLinksApi links, ApprovalGate gate)
{
    [Function(nameof(ApprovalPage))]
    public Task<IActionResult> ApprovalPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApprovalRoutes.Link)] HttpRequest request, string token,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(approvals.PageAsync(request, token, engine));

    [Function(nameof(ApprovalDecide))]
    public Task<IActionResult> ApprovalDecide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApprovalRoutes.Link)] HttpRequest request, string token,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(approvals.DecideAsync(request, token, engine));

    [Function(nameof(ListRunApprovals))]
    public Task<IActionResult> ListRunApprovals(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApprovalRoutes.RunApprovals)] HttpRequest request, string id) =>
        ResultAction.From(approvals.ListAsync(request, id));

    /// <summary>The signed links of the run's open request, for the dashboard's buttons: function-level, like every API call.</summary>
    [Function(nameof(IssueApprovalLinks))]
    public Task<IActionResult> IssueApprovalLinks(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApprovalRoutes.RunApprovalLinks)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(links.IssueAsync(request, id, engine));

    /// <summary>Returns the links with their signatures redacted, so that no working link lands in orchestration history.</summary>
    [Function(ApprovalActivityNames.RequestApproval)]
    public async Task<ApprovalLinks> RequestApproval([ActivityTrigger] ApprovalGateRequest request) =>
        (await gate.RequestAsync(request)).Redacted();

    [Function(ApprovalActivityNames.RemindApprovers)]
    public Task<ApprovalReminderResult> RemindApprovers([ActivityTrigger] ApprovalReminderRequest request) => gate.RemindAsync(request);

    [Function(ApprovalActivityNames.TallyApprovals)]
    public Task<ApprovalTally> TallyApprovals([ActivityTrigger] ApprovalTallyRequest request) => gate.TallyAsync(request);
}
