using Serverless.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

/// <summary>The approval link handlers over a real store (Azurite) and a stand-in engine.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalApiTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();
    private readonly ManualClock _clock = new(At.AddMinutes(10));
    private readonly FakeEngine _engine = new();
    private readonly ApprovalOptions _options = ApprovalTestKit.Options();
    private readonly ApprovalStore _store;
    private readonly ApprovalGate _gate;
    private readonly ApprovalApi _api;

    public ApprovalApiTests(AzuriteFixture azurite)
    {
        var options = Options.Create(_options);
        var signer = new ApprovalSigner(ApprovalTestKit.Ring(_options), _clock);
        _store = new ApprovalStore(new PipelineTables(azurite.Tables, AzuriteFixture.IsolatedOptions()));
        _gate = new ApprovalGate(_store, signer, new ApprovalNotifier(new FakeWebhook(), options, _clock, NullLogger<ApprovalNotifier>.Instance),
            options, new ApprovalLinkOrigin(options), _clock, NullLogger<ApprovalGate>.Instance);
        var stacks = new StackStore(new PipelineTables(azurite.Tables, AzuriteFixture.IsolatedOptions()));
        _api = new ApprovalApi(signer, _store, new ApprovalDecisions(_store, stacks, options, _clock, NullLogger<ApprovalDecisions>.Instance), options, _clock);
    }

    [Fact]
    public async Task Opening_a_link_shows_the_page_and_decides_nothing()
    {
        var (runId, links) = await WaitingRunAsync();

        for (var i = 0; i < 3; i++)
        {
            var page = await GetAsync(links.ApproveUrl, accept: "text/html");
            Assert.Equal(200, page.Status);
            Assert.Contains("Widen the &lt;subnet&gt;", page.Body);
            Assert.Contains("<form method=\"post\"", page.Body);
        }

        Assert.Empty(_engine.Raised);
        var trail = await _store.ReadAsync(runId);
        Assert.Empty(trail.Decisions);
        Assert.Equal(3, trail.Audit.Count(a => a.Outcome == ApprovalAudit.Viewed));
    }

    [Fact]
    public async Task A_forged_X_Forwarded_For_is_not_the_source_address_of_the_decision()
    {
        var (runId, links) = await WaitingRunAsync();

        Assert.Equal(202, (await PostAsync(links.ApproveUrl, "name=bob%40contoso.example", from: "198.51.100.20", forwardedFor: "203.0.113.66")).Status);

        var trail = await _store.ReadAsync(runId);
        Assert.Equal("198.51.100.20", Assert.Single(trail.Decisions).SourceAddress);
        Assert.Equal("198.51.100.20", Assert.Single(trail.Audit, a => a.Outcome == ApprovalAudit.Approved).SourceAddress);
    }

    [Fact]
    public async Task A_valid_decision_is_raised_on_the_run_recorded_with_its_wait_and_the_link_then_refuses_a_replay()
    {
        var (runId, links) = await WaitingRunAsync();

        var decided = await PostAsync(links.ApproveUrl, "name=bob%40contoso.example&comment=ship+it", from: "203.0.113.7");
        var replay = await PostAsync(links.ApproveUrl, "name=carol%40contoso.example");

        Assert.Equal(202, decided.Status);
        var (instance, name, payload) = Assert.Single(_engine.Raised);
        Assert.Equal((runId, PipelineNames.ApprovalDecisionEvent), (instance, name));
        Assert.Equal(new ApprovalDecision(true, "bob@contoso.example", "ship it", _clock.Now, false, "approval", "link"), payload);
        Assert.Equal(409, replay.Status);
        Assert.Equal(ApprovalRefusals.Replayed, replay.Reason);

        var trail = await _store.ReadAsync(runId);
        var decision = Assert.Single(trail.Decisions);
        Assert.Equal((600d, "203.0.113.7", false), (decision.WaitSeconds, decision.SourceAddress, decision.Verified));
        Assert.Contains(trail.Audit, a => a.Outcome == ApprovalAudit.Approved && a.Identity == "bob@contoso.example");
        Assert.Contains(trail.Audit, a => a.Reason == ApprovalRefusals.Replayed && a.Status == 409 && a.Identity == "carol@contoso.example");
    }

    [Fact]
    public async Task Of_concurrent_posts_of_one_link_exactly_one_decides()
    {
        var (_, links) = await WaitingRunAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostAsync(links.RejectUrl, "name=bob%40contoso.example"))));

        Assert.Single(answers, a => a.Status == 202);
        Assert.All(answers.Where(a => a.Status != 202), a => Assert.Equal(409, a.Status));
        Assert.Single(_engine.Raised);
    }

    [Fact]
    public async Task An_altered_link_is_forbidden_and_audited_under_the_run_it_claims()
    {
        var (runId, links) = await WaitingRunAsync();
        var tampered = links.ApproveUrl[..^3] + (links.ApproveUrl.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA");

        var answer = await PostAsync(tampered, "name=bob%40contoso.example");

        Assert.Equal((403, ApprovalRefusals.BadSignature), (answer.Status, answer.Reason));
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Empty(_engine.Raised);
        Assert.Contains((await _store.ReadAsync(runId)).Audit, a => a.Reason == ApprovalRefusals.BadSignature && a.Detail!.Contains("unverified link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_link_is_gone_for_the_page_and_the_decision()
    {
        var (_, links) = await WaitingRunAsync();
        _clock.Now = links.ExpiresAt;

        Assert.Equal(410, (await GetAsync(links.ApproveUrl, accept: "text/html")).Status);
        Assert.Equal((410, ApprovalRefusals.Expired), Pick(await PostAsync(links.ApproveUrl, "name=bob%40contoso.example")));
        Assert.Empty(_engine.Raised);
    }

    [Fact]
    public async Task The_author_may_not_approve_whether_typed_or_signed_in_but_may_reject()
    {
        _options.TrustClientPrincipalHeader = true;
        var (runId, links) = await WaitingRunAsync(ApprovalTestKit.Policy(users: ["ann@contoso.example", "bob@contoso.example"]));
        var ann = ClientPrincipal.Encode("aad", [("name", "Ann Example"), ("preferred_username", "ann@contoso.example")]);

        Assert.Equal((403, ApprovalRefusals.SelfApproval), Pick(await PostAsync(links.ApproveUrl, "name=ann%40contoso.example")));
        Assert.Equal((403, ApprovalRefusals.SelfApproval), Pick(await PostAsync(links.ApproveUrl, "", principal: ann)));
        Assert.Empty(_engine.Raised);
        Assert.Equal(202, (await PostAsync(links.RejectUrl, "", principal: ann)).Status);

        var decision = Assert.Single((await _store.ReadAsync(runId)).Decisions);
        Assert.Equal(("Ann Example", true, "aad"), (decision.By, decision.Verified, decision.AuthType));
    }

    [Fact]
    public async Task Only_allowed_approvers_may_decide()
    {
        _options.TrustClientPrincipalHeader = true;
        var (_, links) = await WaitingRunAsync();
        var member = ClientPrincipal.Encode("aad", [("name", "Dora"), ("groups", "release-managers")]);

        Assert.Equal((403, ApprovalRefusals.NotAllowed), Pick(await PostAsync(links.ApproveUrl, "name=mallory")));
        Assert.Equal(202, (await PostAsync(links.ApproveUrl, "", principal: member)).Status);
        Assert.True(((ApprovalDecision)Assert.Single(_engine.Raised).Payload!).Verified);
    }

    [Fact]
    public async Task The_principal_header_is_ignored_unless_trusted()
    {
        _options.TrustClientPrincipalHeader = false;
        var (_, links) = await WaitingRunAsync();
        var forged = ClientPrincipal.Encode("aad", [("name", "bob@contoso.example")]);

        var answer = await PostAsync(links.ApproveUrl, "", principal: forged);

        Assert.Equal(400, answer.Status);
        Assert.Contains("name is required", answer.Body);
        Assert.Empty(_engine.Raised);
    }

    [Fact]
    public async Task Verified_identity_can_be_required()
    {
        _options.RequireVerifiedIdentity = true;
        var (runId, links) = await WaitingRunAsync();

        Assert.Equal((403, ApprovalRefusals.Unverified), Pick(await PostAsync(links.ApproveUrl, "name=bob%40contoso.example")));
        Assert.Contains((await _store.ReadAsync(runId)).Audit, a => a.Reason == ApprovalRefusals.Unverified);
    }

    [Theory]
    [InlineData(RunStatus.Completed, OrchestrationRuntimeStatus.Completed, null, ApprovalRefusals.RunFinished)]
    [InlineData(RunStatus.Rejected, OrchestrationRuntimeStatus.Completed, "superseded by net.fedcba9", ApprovalRefusals.Superseded)]
    [InlineData(RunStatus.DeployingProduction, OrchestrationRuntimeStatus.Running, null, ApprovalRefusals.RunNotWaiting)]
    [InlineData(RunStatus.AwaitingApproval, OrchestrationRuntimeStatus.Terminated, null, ApprovalRefusals.RunFinished)]
    public async Task A_run_that_is_not_waiting_takes_no_decision(RunStatus status, OrchestrationRuntimeStatus runtime, string? reason, string refusal)
    {
        var (runId, links) = await WaitingRunAsync();
        _engine.SetRun(runId, status, runtime, reason);

        Assert.Equal((409, refusal), Pick(await PostAsync(links.ApproveUrl, "name=bob%40contoso.example")));
        Assert.Contains("not waiting", (await GetAsync(links.ApproveUrl, accept: "text/html")).Body.Replace("has finished", "not waiting", StringComparison.Ordinal).Replace("superseded", "not waiting", StringComparison.Ordinal));
        Assert.Empty(_engine.Raised);
        // The link was not used up by the refusal.
        Assert.Empty((await _store.ReadAsync(runId)).Decisions);
    }

    [Fact]
    public async Task On_a_gate_that_needs_two_approvals_the_approve_link_works_once_per_person()
    {
        var (runId, links) = await WaitingRunAsync(ApprovalTestKit.Policy(minimum: 2));

        Assert.Equal(202, (await PostAsync(links.ApproveUrl, "name=bob%40contoso.example")).Status);
        Assert.Equal((409, ApprovalRefusals.Replayed), Pick(await PostAsync(links.ApproveUrl, "name=BOB%40contoso.example")));
        Assert.Equal(202, (await PostAsync(links.ApproveUrl, "name=carol%40contoso.example")).Status);

        Assert.Equal(["bob@contoso.example", "carol@contoso.example"], _engine.Raised.Select(r => ((ApprovalDecision)r.Payload!).By));
        var list = await ListAsync(runId);
        Assert.Equal("Approved", (string)list["requests"]![0]!["status"]!);
        Assert.Equal(2, (int)list["requests"]![0]!["approvals"]!);
    }

    [Fact]
    public async Task The_links_of_a_replaced_request_no_longer_work()
    {
        var (runId, old) = await WaitingRunAsync();
        await _gate.RequestAsync(ApprovalTestKit.Request(runId, At.AddMinutes(1)));

        Assert.Equal((409, ApprovalRefusals.LinkReplaced), Pick(await PostAsync(old.ApproveUrl, "name=bob%40contoso.example")));
    }

    [Fact]
    public async Task The_trail_lists_requests_decisions_and_every_refusal_without_links_or_nonces()
    {
        var (runId, links) = await WaitingRunAsync();
        await PostAsync(links.ApproveUrl, "name=mallory");
        _clock.Now = _clock.Now.AddSeconds(1);
        await PostAsync(links.ApproveUrl, "name=ann");
        _clock.Now = _clock.Now.AddSeconds(1);
        await PostAsync(links.ApproveUrl, "name=bob%40contoso.example&comment=fine");

        var list = await ListAsync(runId);

        Assert.Equal(runId, (string)list["runId"]!);
        Assert.Equal("Approved", (string)list["requests"]![0]!["status"]!);
        Assert.Equal("NotConfigured", (string)list["requests"]![0]!["notification"]!["status"]!);
        Assert.Equal(602, (double)list["decisions"]![0]!["waitSeconds"]!);
        Assert.Equal([ApprovalRefusals.NotAllowed, ApprovalRefusals.SelfApproval],
            list["audit"]!.AsArray().Where(a => (string?)a!["outcome"] == ApprovalAudit.Refused).Select(a => (string)a!["reason"]!));
        var json = list.ToJsonString();
        var stored = await _store.GetRequestAsync(runId, "approval");
        Assert.DoesNotContain(stored!.ApproveNonce, json);
        Assert.DoesNotContain(ApprovalTestKit.TokenOf(links.ApproveUrl).Split('.')[2], json);
        Assert.Equal(404, (await Execute(_api.ListAsync(Request("GET", "/api/runs/nope/approvals", null, null, null, null), "nope"))).Status);
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_refused_before_anything_happens()
    {
        var (runId, links) = await WaitingRunAsync();
        var request = Request("POST", new Uri(links.ApproveUrl).AbsolutePath, """{"name":"bob"}""", null, null, null);
        request.ContentType = "application/json";

        var answer = await Execute(_api.DecideAsync(request, ApprovalTestKit.TokenOf(links.ApproveUrl), _engine));

        Assert.Equal(415, answer.Status);
        Assert.Empty((await _store.ReadAsync(runId)).Decisions);
    }

    private async Task<(string RunId, ApprovalLinks Links)> WaitingRunAsync(Serverless.Pipeline.Definition.ApprovalPolicy? policy = null)
    {
        var runId = ApprovalTestKit.NewRunId();
        _engine.SetRun(runId, RunStatus.AwaitingApproval);
        return (runId, await _gate.RequestAsync(ApprovalTestKit.Request(runId, At, policy)));
    }

    private Task<Answer> GetAsync(string link, string? accept = null) =>
        Execute(_api.PageAsync(Request("GET", new Uri(link).AbsolutePath, null, null, accept, null), ApprovalTestKit.TokenOf(link), _engine));

    /// <param name="from">The client's address as the host determined it (for a trusted proxy, from its X-Forwarded-For).</param>
    private Task<Answer> PostAsync(string link, string form, string? principal = null, string? from = null, string? forwardedFor = null) =>
        Execute(_api.DecideAsync(Request("POST", new Uri(link).AbsolutePath, form, principal, null, from, forwardedFor), ApprovalTestKit.TokenOf(link), _engine));

    private async Task<JsonObject> ListAsync(string runId)
    {
        var answer = await Execute(_api.ListAsync(Request("GET", $"/api/runs/{runId}/approvals", null, null, null, null), runId));
        Assert.Equal(200, answer.Status);
        return JsonNode.Parse(answer.Body)!.AsObject();
    }

    private static HttpRequest Request(string method, string path, string? form, string? principal, string? accept, string? from = null, string? forwardedFor = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Connection.RemoteIpAddress = from is null ? IPAddress.Loopback : IPAddress.Parse(from);
        var request = context.Request;
        request.Method = method;
        request.Path = path;
        if (form is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(form);
            request.ContentType = "application/x-www-form-urlencoded";
            request.ContentLength = bytes.Length;
            request.Body = new MemoryStream(bytes);
        }
        if (principal is not null) request.Headers[ClientPrincipal.Header] = principal;
        if (accept is not null) request.Headers.Accept = accept;
        if (forwardedFor is not null) request.Headers["X-Forwarded-For"] = forwardedFor;
        context.Response.Body = new MemoryStream();
        return request;
    }

    private static async Task<Answer> Execute(Task<IResult> handler)
    {
        var result = await handler;
        // The handler's request context is not reachable from the result: run it on a fresh one.
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        string? reason = null;
        if (context.Response.ContentType?.Contains("json", StringComparison.Ordinal) == true && body.Length > 0)
            reason = (string?)JsonNode.Parse(body)?["reason"];
        return new Answer(context.Response.StatusCode, body, context.Response.ContentType, reason);
    }

    private static (int, string?) Pick(Answer answer) => (answer.Status, answer.Reason);

    private sealed record Answer(int Status, string Body, string? ContentType, string? Reason);
}
