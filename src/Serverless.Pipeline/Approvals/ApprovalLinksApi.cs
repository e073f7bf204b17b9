using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// <c>POST /api/runs/{id}/approvals/links</c> (Operator): the signed approve and reject links of the run's open approval
/// request, the same links its notification carried, for people who decide from the dashboard. The links are credentials:
/// every issuing is in the run's approval audit trail with who obtained them and from where, the answer must not be
/// cached, and the links never reach the log. Deciding still happens on the link's page, with the approval policy.
/// </summary>
public sealed class ApprovalLinksApi(
    ApprovalGate gate, ApprovalStore store, RunStore runs, StackStore stacks, IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<ApprovalLinksApi> log)
{
    /// <summary>409: the run waits, but has no open request (not recorded yet, or decided, or expired).</summary>
    public const string NoOpenRequest = "no-open-request";

    public async Task<IResult> IssueAsync(HttpRequest request, string id, DurableTaskClient engine) =>
        (await AnswerAsync(request, id, engine)).WithNoStore();

    private async Task<IResult> AnswerAsync(HttpRequest request, string id, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        if (!RunId.TryParse(id, out var runId)) return Problems.NotFound($"There is no run '{id}'.");
        var instance = await engine.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation);
        if (instance is null && await runs.GetAsync(runId, cancellation) is null) return Problems.NotFound($"There is no run '{id}'.");
        // The links are credentials to decide: only those who may operate the stack obtain them.
        if (await stacks.FindAsync(runId.Stack, cancellation) is { } stack && StackAccess.Refusal(stack, request, "obtain the approval links of") is { } refusal)
            return refusal;
        if (ApprovalRunState.Check(instance, id) is { } notWaiting) return Conflict(notWaiting.Reason, notWaiting.Detail);

        var now = clock.GetUtcNow();
        var trail = await store.ReadAsync(id, cancellation);
        // Only a request of the run's current wait at its gate counts, not one left from an earlier attempt of the same run id.
        var waitingSince = instance!.ReadCustomStatusAs<RunProgress>()?.Stages
            .Where(s => s is { Kind: StageKind.Approval, Status: StageStatus.Running }).Select(s => s.ReadyAt).Max();
        var current = trail.Requests
            .Where(r => waitingSince is null || r.Request.RequestedAt >= waitingSince.Value.AddSeconds(-1))
            .OrderByDescending(r => r.Request.RequestedAt)
            .ToList();
        var open = current.FirstOrDefault(r => ApprovalTrailView.StatusOf(r, trail.Decisions, now).Status == ApprovalTrailView.Open);
        if (open is null)
        {
            return Conflict(NoOpenRequest, current.Count == 0
                ? $"Run {id} waits for approval but has not recorded its approval request yet; try again in a moment."
                : $"Run {id} has no open approval request: its request at gate '{current[0].Request.Gate}' is {ApprovalTrailView.StatusOf(current[0], trail.Decisions, now).Status.ToLowerInvariant()}.");
        }

        var links = gate.Links(open);
        var caller = Caller.From(request.HttpContext.User);
        var from = ApprovalCaller.From(request, options.Value);
        // Written before the links are handed out: when the trail cannot say who obtained them, nobody does.
        await store.AuditAsync(id, new ApprovalAuditEntry(now, open.Request.Gate, ApprovalAudit.Issue, ApprovalAudit.LinksIssued,
            Status: StatusCodes.Status200OK,
            Detail: caller is null
                ? "approve and reject links handed out through the API to an unidentified caller (a function key only)"
                : $"approve and reject links handed out through the API to {caller.Name} ({caller.Role})",
            Identity: caller?.Name, Verified: caller is not null, SourceAddress: from.SourceAddress, UserAgent: from.UserAgent),
            CancellationToken.None);
        log.LogInformation("Approval links of run {RunId} gate {Gate} handed out to {Caller} from {Source}",
            id, open.Request.Gate, caller?.Name ?? "(unidentified)", from.SourceAddress);

        return Results.Json(new ApprovalLinksIssued(open.Request.Gate, links.ApproveUrl, links.RejectUrl, links.ExpiresAt), ApiJson.Options);
    }

    private static IResult Conflict(string reason, string detail) =>
        Results.Problem(title: "The run has no approval links to hand out.", detail: detail, statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
}

/// <summary>The answer of <c>POST /api/runs/{id}/approvals/links</c>: working links, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record ApprovalLinksIssued(string Gate, string ApproveUrl, string RejectUrl, DateTimeOffset ExpiresAt);
