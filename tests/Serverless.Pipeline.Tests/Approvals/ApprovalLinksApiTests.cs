using Serverless.Tests.Shared;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

/// <summary><c>POST /api/runs/{id}/approvals/links</c> over a real store (Azurite) and a stand-in engine.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalLinksApiTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();
    private readonly ManualClock _clock = new(At.AddMinutes(10));
    private readonly FakeEngine _engine = new();
    private readonly ApprovalStore _store;
    private readonly ApprovalGate _gate;
    private readonly ApprovalApi _decisions;
    private readonly ApprovalLinksApi _api;
    private readonly RecordingLogger<ApprovalLinksApi> _log = new();

    public ApprovalLinksApiTests(AzuriteFixture azurite)
    {
        var approvalOptions = ApprovalTestKit.Options();
        var options = Options.Create(approvalOptions);
        var storage = AzuriteFixture.IsolatedOptions();
        var signer = new ApprovalSigner(ApprovalTestKit.Ring(approvalOptions), _clock);
        _store = new ApprovalStore(new PipelineTables(azurite.Tables, storage));
        _gate = new ApprovalGate(_store, signer, new ApprovalNotifier(new FakeWebhook(), options, _clock, NullLogger<ApprovalNotifier>.Instance),
            options, new ApprovalLinkOrigin(options), _clock, NullLogger<ApprovalGate>.Instance);
        var stacks = new StackStore(new PipelineTables(azurite.Tables, storage));
        _decisions = new ApprovalApi(signer, _store, new ApprovalDecisions(_store, stacks, options, _clock, NullLogger<ApprovalDecisions>.Instance), options, _clock);
        _api = new ApprovalLinksApi(_gate, _store, new RunStore(new PipelineTables(azurite.Tables, storage)), stacks, options, _clock, _log);
    }

    [Fact]
    public async Task An_operator_gets_the_links_the_approvers_were_sent_and_they_decide()
    {
        var (runId, sent) = await WaitingRunAsync();

        var answer = await IssueAsync(runId, caller: "ops-key", from: "203.0.113.9");

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.CacheControl);
        var body = JsonNode.Parse(answer.Body)!;
        Assert.Equal(("approval", sent.ApproveUrl, sent.RejectUrl), ((string)body["gate"]!, (string)body["approveUrl"]!, (string)body["rejectUrl"]!));
        Assert.Equal(sent.ExpiresAt, (DateTimeOffset)body["expiresAt"]!);

        var decided = await _decisions.DecideAsync(Form((string)body["approveUrl"]!, "name=bob%40contoso.example"),
            ApprovalTestKit.TokenOf((string)body["approveUrl"]!), _engine);
        Assert.Equal(202, (await ExecuteAsync(decided)).Status);
        Assert.True(((ApprovalDecision)Assert.Single(_engine.Raised).Payload!).Approved);
    }

    [Fact]
    public async Task Every_issuing_is_in_the_audit_trail_with_who_and_from_where_and_the_links_never_reach_the_log()
    {
        var (runId, sent) = await WaitingRunAsync();

        await IssueAsync(runId, caller: "ops-key", from: "203.0.113.9");
        await IssueAsync(runId, caller: null);

        var issued = (await _store.ReadAsync(runId)).Audit.Where(a => a.Action == ApprovalAudit.Issue).OrderBy(a => a.Identity is null).ToList();
        Assert.Equal(2, issued.Count);
        Assert.All(issued, a => Assert.Equal((ApprovalAudit.LinksIssued, "approval", 200), (a.Outcome, a.Gate, a.Status)));
        Assert.Equal(("ops-key", true, "203.0.113.9"), (issued[0].Identity, issued[0].Verified, issued[0].SourceAddress));
        Assert.Contains("Operator", issued[0].Detail);
        Assert.Equal((null, false, "127.0.0.1"), (issued[1].Identity, issued[1].Verified, issued[1].SourceAddress));
        Assert.Contains("unidentified", issued[1].Detail);

        var signature = ApprovalTestKit.TokenOf(sent.ApproveUrl).Split('.')[2];
        Assert.Contains(_log.Lines, l => l.Contains(runId, StringComparison.Ordinal) && l.Contains("ops-key", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains(signature, StringComparison.Ordinal) || l.Contains("/api/approvals/", StringComparison.Ordinal));
        Assert.DoesNotContain(signature, JsonNode.Parse((await ExecuteAsync(await _decisions.ListAsync(Get(runId), runId))).Body)!.ToJsonString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("net.0123456789abbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    public async Task An_unknown_run_is_not_found(string runId)
    {
        var answer = await IssueAsync(runId, caller: "ops-key");

        Assert.Equal((404, "no-store"), (answer.Status, answer.CacheControl));
        Assert.Equal("application/problem+json", answer.ContentType);
    }

    [Theory]
    [InlineData(RunStatus.DeployingProduction, OrchestrationRuntimeStatus.Running, null, ApprovalRefusals.RunNotWaiting)]
    [InlineData(RunStatus.Completed, OrchestrationRuntimeStatus.Completed, null, ApprovalRefusals.RunFinished)]
    [InlineData(RunStatus.Rejected, OrchestrationRuntimeStatus.Completed, "superseded by net.fedcba9", ApprovalRefusals.Superseded)]
    public async Task A_run_that_does_not_wait_has_no_links_to_hand_out(RunStatus status, OrchestrationRuntimeStatus runtime, string? reason, string refusal)
    {
        var (runId, _) = await WaitingRunAsync();
        _engine.SetRun(runId, status, runtime, reason);

        await AssertConflictAsync(runId, refusal);
    }

    [Fact]
    public async Task A_waiting_run_whose_request_is_not_recorded_yet_has_no_links()
    {
        var runId = ApprovalTestKit.NewRunId();
        _engine.SetRun(runId, RunStatus.AwaitingApproval);

        await AssertConflictAsync(runId, ApprovalLinksApi.NoOpenRequest, "not recorded its approval request yet");
    }

    [Fact]
    public async Task A_decided_request_has_no_links_any_more()
    {
        var (runId, sent) = await WaitingRunAsync();
        Assert.Equal(202, (await ExecuteAsync(await _decisions.DecideAsync(Form(sent.RejectUrl, "name=bob%40contoso.example"),
            ApprovalTestKit.TokenOf(sent.RejectUrl), _engine))).Status);

        await AssertConflictAsync(runId, ApprovalLinksApi.NoOpenRequest, "is rejected");
    }

    [Fact]
    public async Task An_expired_request_has_no_links_any_more()
    {
        var (runId, sent) = await WaitingRunAsync();
        _clock.Now = sent.ExpiresAt;

        await AssertConflictAsync(runId, ApprovalLinksApi.NoOpenRequest, "is expired");
    }

    [Fact]
    public async Task A_request_left_from_an_earlier_wait_of_the_run_is_not_handed_out()
    {
        var (runId, _) = await WaitingRunAsync();
        _engine.SetRun(runId, RunStatus.AwaitingApproval,
            stages: [new StageExecution("approval", StageKind.Approval, StageStatus.Running, ReadyAt: At.AddMinutes(5))]);

        await AssertConflictAsync(runId, ApprovalLinksApi.NoOpenRequest, "not recorded its approval request yet");
    }

    private async Task AssertConflictAsync(string runId, string reason, string? detail = null)
    {
        var answer = await IssueAsync(runId, caller: "ops-key");

        Assert.Equal((409, "no-store"), (answer.Status, answer.CacheControl));
        var problem = JsonNode.Parse(answer.Body)!;
        Assert.Equal(reason, (string?)problem["reason"]);
        if (detail is not null) Assert.Contains(detail, (string)problem["detail"]!);
        Assert.DoesNotContain("/api/approvals/", answer.Body);
        // Nothing was handed out, so nothing is audited as issued.
        Assert.DoesNotContain((await _store.ReadAsync(runId)).Audit, a => a.Action == ApprovalAudit.Issue);
    }

    private async Task<(string RunId, ApprovalLinks Links)> WaitingRunAsync()
    {
        var runId = ApprovalTestKit.NewRunId();
        _engine.SetRun(runId, RunStatus.AwaitingApproval,
            stages: [new StageExecution("approval", StageKind.Approval, StageStatus.Running, ReadyAt: At)]);
        return (runId, await _gate.RequestAsync(ApprovalTestKit.Request(runId, At)));
    }

    /// <param name="from">The client's address as the host determined it (for a trusted proxy, from its X-Forwarded-For).</param>
    private async Task<Answer> IssueAsync(string runId, string? caller, string? from = null)
    {
        var context = NewContext();
        context.Request.Method = "POST";
        context.Request.Path = $"/api/runs/{runId}/approvals/links";
        if (caller is not null)
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, caller), new Claim(ClaimTypes.Role, "Operator")], "ApiKey"));
        if (from is not null) context.Connection.RemoteIpAddress = IPAddress.Parse(from);
        return await ExecuteAsync(await _api.IssueAsync(context.Request, runId, _engine));
    }

    private static HttpRequest Form(string link, string form)
    {
        var request = NewContext().Request;
        var bytes = Encoding.UTF8.GetBytes(form);
        request.Method = "POST";
        request.Path = new Uri(link).AbsolutePath;
        request.ContentType = "application/x-www-form-urlencoded";
        request.ContentLength = bytes.Length;
        request.Body = new MemoryStream(bytes);
        return request;
    }

    private static HttpRequest Get(string runId)
    {
        var request = NewContext().Request;
        request.Method = "GET";
        request.Path = $"/api/runs/{runId}/approvals";
        return request;
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>Runs the result on a fresh context and reads what a client would get.</summary>
    private static async Task<Answer> ExecuteAsync(IResult result)
    {
        var context = NewContext();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new Answer(context.Response.StatusCode, body, context.Response.ContentType, context.Response.Headers.CacheControl.ToString());
    }

    private sealed record Answer(int Status, string Body, string? ContentType, string CacheControl);
}
