using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly ApprovalStore _store = new(new PipelineTables(azurite.Tables, AzuriteFixture.IsolatedOptions()));

    [Fact]
    public async Task Of_many_concurrent_uses_of_one_link_exactly_one_is_recorded()
    {
        var runId = ApprovalTestKit.NewRunId();
        var key = ApprovalStore.DecisionKey("approval", ApprovalToken.NewNonce());
        await _store.Table; // the table exists before the race, as it does in a running host

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            _store.TryRecordDecisionAsync(key, Decision(runId, $"person-{i}")))));

        Assert.Single(outcomes, won => won);
        Assert.True(await _store.DecisionExistsAsync(runId, key));
        Assert.Single((await _store.ReadAsync(runId)).Decisions);
    }

    [Fact]
    public async Task A_decision_that_could_not_be_delivered_gives_the_link_back()
    {
        var runId = ApprovalTestKit.NewRunId();
        var key = ApprovalStore.DecisionKey("approval", ApprovalToken.NewNonce());
        Assert.True(await _store.TryRecordDecisionAsync(key, Decision(runId, "bob")));

        await _store.RemoveDecisionAsync(runId, key);

        Assert.True(await _store.TryRecordDecisionAsync(key, Decision(runId, "bob")));
    }

    [Fact]
    public async Task A_request_its_decisions_and_its_audit_trail_read_back_from_the_run_partition_in_order()
    {
        var runId = ApprovalTestKit.NewRunId();
        var request = ApprovalTestKit.Request(runId, At);
        await _store.SaveRequestAsync(new StoredApprovalRequest(request, "k1", ApprovalToken.NewNonce(), ApprovalToken.NewNonce(), new NotificationState(NotificationStatus.Pending)));
        await _store.UpdateNotificationAsync(runId, "approval", new NotificationState(NotificationStatus.Failed, "the webhook answered 500", At.AddSeconds(1)), remindedAt: null);
        await _store.AuditAsync(runId, new ApprovalAuditEntry(At.AddMinutes(2), "approval", ApprovalAudit.Decide, ApprovalAudit.Refused, ApprovalRefusals.Expired, 410, "expired", "approve", "mallory", false, "203.0.113.9", "curl/8"));
        await _store.AuditAsync(runId, new ApprovalAuditEntry(At.AddMinutes(1), "approval", ApprovalAudit.View, ApprovalAudit.Viewed, SourceAddress: "198.51.100.7"));
        await _store.TryRecordDecisionAsync(ApprovalStore.DecisionKey("approval", ApprovalToken.NewNonce()), Decision(runId, "bob"));
        await _store.AuditAsync(runId: null, new ApprovalAuditEntry(At, null, ApprovalAudit.Decide, ApprovalAudit.Refused, ApprovalRefusals.Malformed, 403));

        var trail = await _store.ReadAsync(runId);

        var stored = Assert.Single(trail.Requests);
        Assert.Equal(request.Commit, stored.Request.Commit);
        Assert.Equal(request.Policy.Users, stored.Request.Policy.Users);
        Assert.Equal(request.TestResults, stored.Request.TestResults);
        Assert.Equal(NotificationStatus.Failed, stored.Notification.Status);
        Assert.Equal("the webhook answered 500", stored.Notification.Error);
        var decision = Assert.Single(trail.Decisions);
        Assert.Equal("bob", decision.By);
        Assert.Equal(600, decision.WaitSeconds);
        Assert.Equal([ApprovalAudit.Viewed, ApprovalAudit.Refused], trail.Audit.Select(a => a.Outcome));
        var refusal = trail.Audit[1];
        Assert.Equal((ApprovalRefusals.Expired, 410, "mallory", false, "203.0.113.9"), (refusal.Reason, refusal.Status, refusal.Identity, refusal.Verified, refusal.SourceAddress));
        Assert.Single((await _store.ReadAsync(ApprovalStore.UnattributedPartition)).Audit);
    }

    private static ApprovalDecisionRecord Decision(string runId, string by) =>
        new(runId, "approval", ApprovalChoice.Approve, by, true, "aad", "ok", At, At.AddMinutes(10), 600, "127.0.0.1");
}
