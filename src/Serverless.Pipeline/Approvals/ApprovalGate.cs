using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// The approval gate's activity service: records an approval request, signs its approve and reject links,
/// tells the approvers, and reminds them later. Deciding happens through the links (<c>ApprovalApi</c>).
/// </summary>
public sealed class ApprovalGate(
    ApprovalStore store,
    ApprovalSigner signer,
    ApprovalNotifier notifier,
    IOptions<ApprovalOptions> options,
    ApprovalLinkOrigin origin,
    TimeProvider clock,
    ILogger<ApprovalGate> log)
{
    public const string RoutePrefix = "/api/approvals/";

    /// <summary>
    /// Records the request and returns working links, which expire at <see cref="ApprovalGateRequest.ExpiresAt"/> (to the second).
    /// Idempotent for the same request (same run, gate and <see cref="ApprovalGateRequest.RequestedAt"/>): a retried activity
    /// gets the same links and does not notify twice. A request with a new RequestedAt (a new attempt of the run) replaces
    /// the old one, whose links then stop working.
    /// </summary>
    public async Task<ApprovalLinks> RequestAsync(ApprovalGateRequest request, CancellationToken cancellation = default)
    {
        Validate(request);
        request = request with { ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(request.ExpiresAt.ToUnixTimeSeconds()) };

        var existing = await store.GetRequestAsync(request.RunId, request.Gate, cancellation);
        StoredApprovalRequest stored;
        if (existing is not null && existing.Request.RequestedAt == request.RequestedAt)
        {
            stored = existing;
        }
        else
        {
            stored = new StoredApprovalRequest(request, signer.ActiveKeyId, ApprovalToken.NewNonce(), ApprovalToken.NewNonce(), new NotificationState(NotificationStatus.Pending));
            await store.SaveRequestAsync(stored, cancellation);
            await store.AuditAsync(request.RunId, new ApprovalAuditEntry(clock.GetUtcNow(), request.Gate, ApprovalAudit.Request, ApprovalAudit.Requested,
                Detail: $"{request.Policy.MinimumApprovals} approval(s) needed; expires {request.ExpiresAt:u}" +
                        (existing is null ? "" : "; replaces the earlier request, whose links no longer work")), cancellation);
        }

        var links = Links(stored);
        if (stored.Notification.Status is NotificationStatus.Pending or NotificationStatus.Failed)
            await NotifyAsync(stored, links, reminder: false, cancellation);
        return links;
    }

    /// <summary>
    /// Sends the same links again unless the request has expired. The orchestrator calls it at
    /// <see cref="ApprovalLinks.RemindAt"/> while it still waits for decisions.
    /// </summary>
    public async Task<ApprovalReminderResult> RemindAsync(ApprovalReminderRequest reminder, CancellationToken cancellation = default)
    {
        var stored = await store.GetRequestAsync(reminder.RunId, reminder.Gate, cancellation);
        if (stored is null) return new ApprovalReminderResult(false, $"no approval request for run {reminder.RunId} gate {reminder.Gate}");
        if (clock.GetUtcNow() >= stored.Request.ExpiresAt) return new ApprovalReminderResult(false, "the request has expired");
        if (stored.RemindedAt is { } already && already >= reminder.At)
            return new ApprovalReminderResult(true, "already reminded"); // a retried activity

        var state = await NotifyAsync(stored, Links(stored), reminder: true, cancellation, remindedAt: reminder.At);
        return new ApprovalReminderResult(state.Status != NotificationStatus.Failed,
            state.Status switch
            {
                NotificationStatus.Sent => "sent",
                NotificationStatus.NotConfigured => "logged (no webhook configured)",
                _ => state.Error ?? "failed",
            });
    }

    /// <summary>How the run's current request at a gate stands, from the decisions recorded for it (none when nothing was requested).</summary>
    public async Task<ApprovalTally> TallyAsync(ApprovalTallyRequest request, CancellationToken cancellation = default)
    {
        var trail = await store.ReadAsync(request.RunId, cancellation);
        var stored = trail.Requests.FirstOrDefault(r => r.Request.Gate == request.Gate);
        return stored is null ? new ApprovalTally([], null) : ApprovalTally.Of(stored, trail.Decisions);
    }

    /// <summary>The public link of a token.</summary>
    public string LinkFor(string token) => origin.BaseUrl + RoutePrefix + token;

    /// <summary>
    /// The working links of a stored request: the same ones its notification and reminder carry, since they are signed
    /// from the request's nonces and expiry (with its key while that key is configured). They are credentials: never log them.
    /// </summary>
    public ApprovalLinks Links(StoredApprovalRequest stored)
    {
        var request = stored.Request;
        var (approve, _) = signer.Sign(Claims(request, ApprovalChoice.Approve, stored.ApproveNonce), stored.KeyId);
        var (reject, _) = signer.Sign(Claims(request, ApprovalChoice.Reject, stored.RejectNonce), stored.KeyId);
        return new ApprovalLinks(LinkFor(approve), LinkFor(reject), request.ExpiresAt, RemindAt(request, options.Value));
    }

    private static DateTimeOffset? RemindAt(ApprovalGateRequest request, ApprovalOptions options) =>
        options.ReminderFraction > 0
            ? request.RequestedAt + (request.ExpiresAt - request.RequestedAt) * options.ReminderFraction
            : null;

    private async Task<NotificationState> NotifyAsync(
        StoredApprovalRequest stored, ApprovalLinks links, bool reminder, CancellationToken cancellation, DateTimeOffset? remindedAt = null)
    {
        var request = stored.Request;
        var state = await notifier.NotifyAsync(request, links, reminder, cancellation);
        try
        {
            await store.UpdateNotificationAsync(request.RunId, request.Gate, state, remindedAt, cancellation);
            var failed = state.Status == NotificationStatus.Failed;
            await store.AuditAsync(request.RunId, new ApprovalAuditEntry(clock.GetUtcNow(), request.Gate,
                reminder ? ApprovalAudit.Remind : ApprovalAudit.Notify,
                failed ? ApprovalAudit.NotificationFailed : reminder ? ApprovalAudit.Reminded : ApprovalAudit.Notified,
                Detail: failed ? state.Error : state.Status == NotificationStatus.NotConfigured ? "no webhook configured; the links were logged (redacted)" : "webhook accepted the message"),
                cancellation);
        }
        catch (Exception e) when (e is Azure.RequestFailedException)
        {
            // The links went out (or were logged); failing to record that must not fail the run.
            log.LogWarning(e, "Could not record the notification of run {RunId} gate {Gate}", request.RunId, request.Gate);
        }
        return state;
    }

    private static ApprovalClaims Claims(ApprovalGateRequest request, ApprovalChoice choice, string nonce) =>
        new(request.RunId, request.Gate, choice, request.ExpiresAt, nonce);

    private static void Validate(ApprovalGateRequest request)
    {
        var problems = new List<string>();
        if (!RunId.TryParse(request.RunId, out _)) problems.Add($"'{request.RunId}' is not a run id.");
        if (!ApprovalToken.IsValidGate(request.Gate)) problems.Add($"'{request.Gate}' is not a gate name (1 to 40 letters, digits, '-' or '_').");
        if (request.ExpiresAt <= request.RequestedAt) problems.Add("The request expires before it was made.");
        if (request.Policy is null) problems.Add("The request has no approval policy.");
        else if (request.Policy.MinimumApprovals < 1) problems.Add("At least 1 approval must be required.");
        if (request.Commit is null) problems.Add("The request names no commit.");
        if (problems.Count > 0) throw new PermanentStageFailure("The approval request is not valid: " + string.Join(" ", problems));
    }
}
