using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;

namespace Serverless.Functions;

/// <summary>
/// The approvals slice (ApprovalsSurface). The link routes are anonymous: the signed token in the URL is the credential.
/// With App Service authentication in front, the approver's identity arrives in X-MS-CLIENT-PRINCIPAL.
/// </summary>
public sealed class ApprovalFunctions(IServiceProvider services) : SurfaceAdapter(services)
{
    [Function(nameof(DecideApproval))]
    public Task<IActionResult> DecideApproval(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.RunApproval)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(DecideApproval), request, id, engine);

    [Function(nameof(ApprovalPage))]
    public Task<IActionResult> ApprovalPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApprovalRoutes.Link)] HttpRequest request, string token,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(ApprovalPage), request, token, engine);

    [Function(nameof(ApprovalDecide))]
    public Task<IActionResult> ApprovalDecide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApprovalRoutes.Link)] HttpRequest request, string token,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(ApprovalDecide), request, token, engine);

    [Function(nameof(ListRunApprovals))]
    public Task<IActionResult> ListRunApprovals(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApprovalRoutes.RunApprovals)] HttpRequest request, string id) =>
        Call(nameof(ListRunApprovals), request, id);

    [Function(nameof(IssueApprovalLinks))]
    public Task<IActionResult> IssueApprovalLinks(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApprovalRoutes.RunApprovalLinks)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(IssueApprovalLinks), request, id, engine);

    [Function(ApprovalActivityNames.RequestApproval)]
    public Task<ApprovalLinks> RequestApproval([ActivityTrigger] ApprovalGateRequest request) =>
        Run<ApprovalGateRequest, ApprovalLinks>(ApprovalActivityNames.RequestApproval, request);

    [Function(ApprovalActivityNames.RemindApprovers)]
    public Task<ApprovalReminderResult> RemindApprovers([ActivityTrigger] ApprovalReminderRequest request) =>
        Run<ApprovalReminderRequest, ApprovalReminderResult>(ApprovalActivityNames.RemindApprovers, request);

    [Function(ApprovalActivityNames.TallyApprovals)]
    public Task<ApprovalTally> TallyApprovals([ActivityTrigger] ApprovalTallyRequest request) =>
        Run<ApprovalTallyRequest, ApprovalTally>(ApprovalActivityNames.TallyApprovals, request);
}
