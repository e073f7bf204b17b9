using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalGateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(At.AddSeconds(5));
    private readonly FakeWebhook _webhook = new();
    private readonly RecordingLogger<ApprovalNotifier> _log = new();
    private readonly ApprovalStore _store;
    private readonly ApprovalSigner _signer;
    private readonly ApprovalGate _gate;

    public ApprovalGateTests(AzuriteFixture azurite)
    {
        var options = ApprovalTestKit.Options();
        options.NotificationWebhookUrl = "https://hooks.example/services/T000/B000/secret-path";
        var wrapped = Options.Create(options);
        _store = new ApprovalStore(new PipelineTables(azurite.Tables, AzuriteFixture.IsolatedOptions()));
        _signer = new ApprovalSigner(ApprovalTestKit.Ring(options), _clock);
        _gate = new ApprovalGate(_store, _signer, new ApprovalNotifier(_webhook, wrapped, _clock, _log), wrapped, new ApprovalLinkOrigin(wrapped), _clock, NullLogger<ApprovalGate>.Instance);
    }

    [Fact]
    public async Task A_request_is_recorded_and_its_two_links_are_signed_for_the_run_gate_and_decision_until_the_timeout()
    {
        var runId = ApprovalTestKit.NewRunId();

        var links = await _gate.RequestAsync(ApprovalTestKit.Request(runId, At));

        Assert.StartsWith("https://pipeline.example/api/approvals/k1.", links.ApproveUrl);
        Assert.Equal(At.AddHours(1), links.ExpiresAt);
        Assert.Equal(At.AddMinutes(30), links.RemindAt);
        var approve = _signer.Verify(ApprovalTestKit.TokenOf(links.ApproveUrl));
        var reject = _signer.Verify(ApprovalTestKit.TokenOf(links.RejectUrl));
        Assert.Equal((TokenStatus.Valid, runId, "approval", ApprovalChoice.Approve, At.AddHours(1)),
            (approve.Status, approve.Claims!.RunId, approve.Claims.Gate, approve.Claims.Choice, approve.Claims.ExpiresAt));
        Assert.Equal((TokenStatus.Valid, ApprovalChoice.Reject), (reject.Status, reject.Claims!.Choice));
        Assert.NotEqual(approve.Claims.Nonce, reject.Claims.Nonce);

        var stored = await _store.GetRequestAsync(runId, "approval");
        Assert.Equal((approve.Claims.Nonce, reject.Claims.Nonce, "k1"), (stored!.ApproveNonce, stored.RejectNonce, stored.KeyId));
        Assert.Equal(NotificationStatus.Sent, stored.Notification.Status);
    }

    [Fact]
    public async Task The_webhook_gets_text_with_both_links_that_Teams_and_Slack_accept_and_the_log_gets_no_signature()
    {
        var links = await _gate.RequestAsync(ApprovalTestKit.Request(ApprovalTestKit.NewRunId(), At));

        var body = JsonNode.Parse(Assert.Single(_webhook.Bodies))!.AsObject();
        Assert.Equal(["text"], body.Select(p => p.Key));
        var text = (string)body["text"]!;
        Assert.Contains(links.ApproveUrl, text);
        Assert.Contains(links.RejectUrl, text);
        Assert.Contains("Widen the <subnet>", text);
        Assert.Contains("dev Succeeded", text);

        var logged = string.Join("\n", _log.Lines);
        Assert.Contains(ApprovalToken.Redact(links.ApproveUrl), logged);
        foreach (var link in new[] { links.ApproveUrl, links.RejectUrl })
            Assert.DoesNotContain(ApprovalTestKit.TokenOf(link).Split('.')[2], logged);
        Assert.DoesNotContain("secret-path", logged);
    }

    [Fact]
    public async Task A_retried_activity_gets_the_same_links_and_notifies_once()
    {
        var request = ApprovalTestKit.Request(ApprovalTestKit.NewRunId(), At);

        var first = await _gate.RequestAsync(request);
        _clock.Now = _clock.Now.AddSeconds(30);
        var again = await _gate.RequestAsync(request);

        Assert.Equal(first, again);
        Assert.Single(_webhook.Bodies);
    }

    [Fact]
    public async Task A_failed_notification_is_recorded_does_not_fail_and_is_tried_again_on_retry()
    {
        var runId = ApprovalTestKit.NewRunId();
        _webhook.Status = HttpStatusCode.InternalServerError;

        var links = await _gate.RequestAsync(ApprovalTestKit.Request(runId, At));

        Assert.NotNull(links.ApproveUrl);
        var trail = await _store.ReadAsync(runId);
        var notification = Assert.Single(trail.Requests).Notification;
        Assert.Equal(NotificationStatus.Failed, notification.Status);
        Assert.Contains("hooks.example answered 500", notification.Error);
        Assert.DoesNotContain("secret-path", notification.Error);
        Assert.Contains(trail.Audit, a => a.Outcome == ApprovalAudit.NotificationFailed);

        _webhook.Status = HttpStatusCode.OK;
        await _gate.RequestAsync(ApprovalTestKit.Request(runId, At));
        Assert.Equal(NotificationStatus.Sent, (await _store.GetRequestAsync(runId, "approval"))!.Notification.Status);
        Assert.Equal(2, _webhook.Bodies.Count);
    }

    [Fact]
    public async Task A_new_request_of_the_same_gate_replaces_the_old_links()
    {
        var runId = ApprovalTestKit.NewRunId();
        var old = await _gate.RequestAsync(ApprovalTestKit.Request(runId, At));

        var fresh = await _gate.RequestAsync(ApprovalTestKit.Request(runId, At.AddMinutes(5)));

        Assert.NotEqual(old.ApproveUrl, fresh.ApproveUrl);
        var stored = await _store.GetRequestAsync(runId, "approval");
        Assert.Equal(_signer.Verify(ApprovalTestKit.TokenOf(fresh.ApproveUrl)).Claims!.Nonce, stored!.ApproveNonce);
        Assert.NotEqual(_signer.Verify(ApprovalTestKit.TokenOf(old.ApproveUrl)).Claims!.Nonce, stored.ApproveNonce);
    }

    [Fact]
    public async Task A_reminder_sends_the_same_links_again_once_and_none_after_expiry()
    {
        var runId = ApprovalTestKit.NewRunId();
        var links = await _gate.RequestAsync(ApprovalTestKit.Request(runId, At));
        _clock.Now = links.RemindAt!.Value;

        var reminded = await _gate.RemindAsync(new ApprovalReminderRequest(runId, "approval", links.RemindAt.Value));
        var retried = await _gate.RemindAsync(new ApprovalReminderRequest(runId, "approval", links.RemindAt.Value));
        _clock.Now = links.ExpiresAt;
        var late = await _gate.RemindAsync(new ApprovalReminderRequest(runId, "approval", links.ExpiresAt));

        Assert.True(reminded.Sent);
        Assert.Equal(2, _webhook.Bodies.Count);
        var reminder = (string)JsonNode.Parse(_webhook.Bodies.Last())!["text"]!;
        Assert.StartsWith("Reminder", reminder);
        Assert.Contains(links.ApproveUrl, reminder);
        Assert.Equal("already reminded", retried.Detail);
        Assert.False(late.Sent);
        Assert.Contains((await _store.ReadAsync(runId)).Audit, a => a.Outcome == ApprovalAudit.Reminded);
        Assert.False((await _gate.RemindAsync(new ApprovalReminderRequest(ApprovalTestKit.NewRunId(), "approval", At))).Sent);
    }

    [Fact]
    public async Task Links_handed_to_the_orchestrator_are_redacted()
    {
        var links = await _gate.RequestAsync(ApprovalTestKit.Request(ApprovalTestKit.NewRunId(), At));

        var redacted = links.Redacted();

        Assert.EndsWith("." + ApprovalToken.RedactedSignature, redacted.ApproveUrl);
        Assert.Equal(TokenStatus.BadSignature, _signer.Verify(ApprovalTestKit.TokenOf(redacted.RejectUrl)).Status);
        Assert.Equal(links.RemindAt, redacted.RemindAt);
    }

    [Fact]
    public async Task An_invalid_request_fails_permanently()
    {
        await Assert.ThrowsAsync<PermanentStageFailure>(() => _gate.RequestAsync(ApprovalTestKit.Request("net.not-a-commit", At)));
        await Assert.ThrowsAsync<PermanentStageFailure>(() => _gate.RequestAsync(ApprovalTestKit.Request(ApprovalTestKit.NewRunId(), At) with { ExpiresAt = At }));
        await Assert.ThrowsAsync<PermanentStageFailure>(() => _gate.RequestAsync(ApprovalTestKit.Request(ApprovalTestKit.NewRunId(), At, gate: "no/slash")));
    }
}
