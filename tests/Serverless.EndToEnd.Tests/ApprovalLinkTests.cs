using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Storage;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The approval links against a LocalHost process, on a real run of the sample stack. To hold the links' signatures
/// (the orchestrator's own request keeps them out of its history), the test makes a request itself, with an
/// <see cref="ApprovalGate"/> on the same storage and the same signing key as the host; the host serves the links
/// and decides through the one decision operation.
/// </summary>
[Collection(ApprovalLinkCollection.Name)]
public sealed class ApprovalLinkTests(ApprovalLinkFixture app)
{
    private const string Stack = "sample-network";
    private const string Author = "Ann Example <ann.example@contoso.example>";

    private static readonly ApprovalPolicy Policy = new(["bob@contoso.example"], ["release-managers"], 1, false, TimeSpan.FromHours(1));

    [Fact]
    public async Task Only_a_valid_POST_decides_a_real_run_and_every_refusal_is_in_the_trail()
    {
        var (id, run) = await app.StartWaitingRunAsync();
        var links = await app.Gate.RequestAsync(Request(id, run));

        // Opening the links (as a mail scanner would) shows the change and decides nothing.
        foreach (var link in new[] { links.ApproveUrl, links.ApproveUrl, links.RejectUrl })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, link);
            get.Headers.Accept.ParseAdd("text/html");
            var page = await app.Client.SendAsync(get);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(Stack, html);
            Assert.Contains("approvals e2e: widen &lt;subnet&gt;", html);
            Assert.Contains("Ann Example &lt;ann.example@contoso.example&gt;", html);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("AwaitingApproval", (string)(await app.Runs.GetAsync(id))["status"]!);

        // Refusals.
        var approveToken = links.ApproveUrl[(links.ApproveUrl.LastIndexOf('/') + 1)..];
        var tampered = links.ApproveUrl[..^2] + (links.ApproveUrl.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        await AssertRefusedAsync(await PostAsync(tampered, "name=bob%40contoso.example"), HttpStatusCode.Forbidden, ApprovalRefusals.BadSignature);

        var claims = app.Signer.Verify(approveToken).Claims!;
        var (expiredToken, _) = app.Signer.Sign(claims with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        var expired = links.ApproveUrl.Replace(approveToken, expiredToken, StringComparison.Ordinal);
        await AssertRefusedAsync(await PostAsync(expired, "name=bob%40contoso.example"), HttpStatusCode.Gone, ApprovalRefusals.Expired);

        var ann = ClientPrincipal.Encode("aad", [("name", "Ann Example"), ("preferred_username", "ann.example@contoso.example"), ("roles", "release-managers")]);
        await AssertRefusedAsync(await PostAsync(links.ApproveUrl, "", principal: ann), HttpStatusCode.Forbidden, ApprovalRefusals.SelfApproval);
        await AssertRefusedAsync(await PostAsync(links.ApproveUrl, "name=Ann+Example"), HttpStatusCode.Forbidden, ApprovalRefusals.SelfApproval);
        await AssertRefusedAsync(await PostAsync(links.ApproveUrl, "name=mallory", forwardedFor: "203.0.113.66, 10.1.1.1"), HttpStatusCode.Forbidden, ApprovalRefusals.NotAllowed);
        Assert.Equal("AwaitingApproval", (string)(await app.Runs.GetAsync(id))["status"]!);

        // The approver uses the link twice at once: exactly one use decides.
        var bob = ClientPrincipal.Encode("aad", [("name", "Bob Builder"), ("preferred_username", "bob@contoso.example")]);
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(links.ApproveUrl, "comment=ship+it", principal: bob)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Accepted))
            await AssertRefusedAsync(refused, HttpStatusCode.Conflict, ApprovalRefusals.Replayed);

        var completed = await app.Runs.WaitForStatusAsync(id, "Completed");
        var approval = completed["stages"]!.AsArray().Single(s => (string)s!["name"]! == "approval")!;
        Assert.Equal("approved by Bob Builder: ship it", (string)approval["detail"]!);

        // Afterwards: the used link is used, the unused one finds the run finished.
        await AssertRefusedAsync(await PostAsync(links.ApproveUrl, "", principal: bob), HttpStatusCode.Conflict, ApprovalRefusals.Replayed);
        await AssertRefusedAsync(await PostAsync(links.RejectUrl, "name=bob%40contoso.example"), HttpStatusCode.Conflict, ApprovalRefusals.RunFinished);

        // The trail: the request, the one decision with its wait, and every refusal with who, whether verified and from where.
        var trail = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!;
        var request = trail["requests"]!.AsArray().Single()!;
        Assert.Equal("Approved", (string)request["status"]!);
        var decision = trail["decisions"]!.AsArray().Single()!;
        Assert.Equal(("approve", "Bob Builder", true), ((string)decision["decision"]!, (string)decision["by"]!, (bool)decision["verified"]!));
        Assert.True((double)decision["waitSeconds"]! > 0);
        var audit = trail["audit"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var refusals = audit.Where(a => (string?)a["outcome"] == "Refused").ToList();
        Assert.Equal(
            [ApprovalRefusals.BadSignature, ApprovalRefusals.Expired, ApprovalRefusals.SelfApproval, ApprovalRefusals.SelfApproval, ApprovalRefusals.NotAllowed,
             ApprovalRefusals.Replayed, ApprovalRefusals.Replayed, ApprovalRefusals.Replayed, ApprovalRefusals.Replayed, ApprovalRefusals.RunFinished],
            refusals.Select(a => (string)a["reason"]!).OrderBy(Rank).ToList());
        Assert.Contains(refusals, a => (string?)a["reason"] == ApprovalRefusals.SelfApproval && (bool)a["verified"]! && (string?)a["identity"] == "Ann Example");
        Assert.Contains(refusals, a => (string?)a["reason"] == ApprovalRefusals.NotAllowed && (string?)a["sourceAddress"] == "127.0.0.1" && !(bool)a["verified"]!); // the forged X-Forwarded-For is ignored
        Assert.All(refusals, a => Assert.NotNull((string?)a["sourceAddress"]));
        Assert.Equal(3, audit.Count(a => (string?)a["outcome"] == "Viewed"));
        Assert.Single(audit, a => (string?)a["outcome"] == "Approved");
        Assert.DoesNotContain(approveToken.Split('.')[2], trail.ToJsonString());
    }

    [Fact]
    public async Task An_operator_obtains_the_links_of_a_real_waiting_run_through_the_API_and_they_decide_it()
    {
        var (id, _) = await app.StartWaitingRunAsync();

        using var issued = await app.Client.PostAsync($"/api/runs/{id}/approvals/links", content: null);
        var body = await issued.Content.ReadAsStringAsync();
        Assert.True(issued.StatusCode == HttpStatusCode.OK, body);
        Assert.True(issued.Headers.CacheControl?.NoStore, "The links are credentials: the answer must not be stored.");
        var links = JsonNode.Parse(body)!;
        var approveUrl = (string)links["approveUrl"]!;
        Assert.Equal("approval", (string)links["gate"]!);
        Assert.StartsWith($"{app.BaseAddress}api/approvals/", approveUrl, StringComparison.Ordinal);
        Assert.StartsWith($"{app.BaseAddress}api/approvals/", (string)links["rejectUrl"]!, StringComparison.Ordinal);
        Assert.True((DateTimeOffset)links["expiresAt"]! > DateTimeOffset.UtcNow);

        // The link works as the approvers' own: its page decides nothing, its POST decides.
        using var page = new HttpRequestMessage(HttpMethod.Get, approveUrl);
        page.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(page)).StatusCode);
        var decided = await PostAsync(approveUrl, "name=bob%40contoso.example&comment=from+the+dashboard");
        Assert.True(decided.StatusCode == HttpStatusCode.Accepted, await decided.Content.ReadAsStringAsync());
        await app.Runs.WaitForStatusAsync(id, "Completed");

        // A finished run has nothing to hand out; an unknown run is not found.
        using var finished = await app.Client.PostAsync($"/api/runs/{id}/approvals/links", content: null);
        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
        Assert.Equal(ApprovalRefusals.RunFinished, (string?)JsonNode.Parse(await finished.Content.ReadAsStringAsync())!["reason"]);
        Assert.Equal("application/problem+json", finished.Content.Headers.ContentType?.MediaType);
        using var unknown = await app.Client.PostAsync($"/api/runs/{Stack}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}/approvals/links", content: null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Who obtained the links is in the trail (this host has no API keys: the local developer); the links are not.
        var trail = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!;
        var entry = Assert.Single(trail["audit"]!.AsArray(), a => (string?)a!["action"] == ApprovalAudit.Issue)!;
        Assert.Equal((ApprovalAudit.LinksIssued, "local-developer", "127.0.0.1"),
            ((string)entry["outcome"]!, (string?)entry["identity"], (string?)entry["sourceAddress"]));
        Assert.DoesNotContain(approveUrl.Split('.')[^1], trail.ToJsonString());
        Assert.DoesNotContain(approveUrl.Split('.')[^1], app.Host.Process.Output);
    }

    [Fact]
    public async Task A_link_for_a_run_the_engine_does_not_know_finds_nothing_to_decide()
    {
        var id = $"{Stack}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";
        var links = await app.Gate.RequestAsync(Request(id, new JsonObject { ["artifactVersion"] = "0000000000000000", ["stages"] = new JsonArray() }));

        await AssertRefusedAsync(await PostAsync(links.ApproveUrl, "name=bob%40contoso.example"), HttpStatusCode.Conflict, ApprovalRefusals.RunFinished);
        var trail = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!;
        Assert.Equal("Open", (string)trail["requests"]![0]!["status"]!);
        Assert.Empty(trail["decisions"]!.AsArray());
    }

    [Fact]
    public async Task A_link_signed_with_another_key_is_forbidden()
    {
        var otherKey = new ApprovalOptions { SigningKeys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, ActiveKeyId = "k1" };
        var signer = new ApprovalSigner(new ApprovalKeyRing(Options.Create(otherKey), NullLogger<ApprovalKeyRing>.Instance), TimeProvider.System);
        var id = $"{Stack}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";
        var (token, _) = signer.Sign(new ApprovalClaims(id, "approval", ApprovalChoice.Approve, DateTimeOffset.UtcNow.AddHours(1), ApprovalToken.NewNonce()));

        await AssertRefusedAsync(await PostAsync($"{app.BaseAddress}api/approvals/{token}", "name=bob"), HttpStatusCode.Forbidden, ApprovalRefusals.BadSignature);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client.GetAsync("/api/approvals/not-a-token")).StatusCode);
    }

    private static int Rank(string reason) => Array.IndexOf(
        [ApprovalRefusals.BadSignature, ApprovalRefusals.Expired, ApprovalRefusals.SelfApproval, ApprovalRefusals.NotAllowed, ApprovalRefusals.Replayed, ApprovalRefusals.RunFinished],
        reason);

    private static ApprovalGateRequest Request(string id, JsonObject run)
    {
        var now = DateTimeOffset.UtcNow;
        var commit = id[(id.IndexOf('.') + 1)..];
        var tests = run["stages"]!.AsArray()
            .Where(s => (string?)s!["kind"] == "Test")
            .Select(s => new StageSummary((string)s!["name"]!, Enum.Parse<StageStatus>((string)s["status"]!), (string?)s["detail"]))
            .ToList();
        return new ApprovalGateRequest(id, Stack, "approval",
            new CommitInfo(commit, null, "approvals e2e: widen <subnet>", Author, now.AddMinutes(-5)),
            (string?)run["artifactVersion"] ?? "unknown", (string?)run["changeType"], now, now.AddHours(1), Policy, tests, [Author]);
    }

    private Task<HttpResponseMessage> PostAsync(string link, string form, string? principal = null, string? forwardedFor = null)
    {
        var post = new HttpRequestMessage(HttpMethod.Post, link) { Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };
        if (principal is not null) post.Headers.Add(ClientPrincipal.Header, principal);
        if (forwardedFor is not null) post.Headers.Add("X-Forwarded-For", forwardedFor);
        return app.Client.SendAsync(post);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {reason}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, (string?)JsonNode.Parse(body)!["reason"]);
    }
}

/// <summary>
/// Azurite and a LocalHost process configured with a known approval signing key (made up for this fixture),
/// its own address as the links' public base URL, and App Service authentication's header trusted,
/// plus an <see cref="ApprovalGate"/> in the test process on the same storage and key.
/// </summary>
public sealed class ApprovalLinkFixture : IAsyncLifetime
{
    private const string Stack = "sample-network";

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public RunWaiter Runs { get; private set; } = null!;
    public Uri BaseAddress => Host.BaseAddress;
    public ApprovalGate Gate { get; private set; } = null!;
    public ApprovalSigner Signer { get; private set; } = null!;
    private string _workDirectory = null!;
    private StackRepository? _repository;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        _workDirectory = Directory.CreateTempSubdirectory("pipeline-approvals-e2e-").FullName;
        var options = new ApprovalOptions
        {
            SigningKeys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            ActiveKeyId = "k1",
            TrustClientPrincipalHeader = true,
        };
        // No Approvals:PublicBaseUrl: the host's links point at the loopback address it listens on.
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = _workDirectory,
            ["Approvals:SigningKeys:k1"] = options.SigningKeys["k1"],
            ["Approvals:ActiveKeyId"] = "k1",
            ["Approvals:TrustClientPrincipalHeader"] = "true",
        });
        options.PublicBaseUrl = Host.BaseAddress.GetLeftPart(UriPartial.Authority);
        Client = Host.CreateClient();
        Runs = new RunWaiter(Client, () => Host.Process.Output);

        var wrapped = Options.Create(options);
        Signer = new ApprovalSigner(new ApprovalKeyRing(wrapped, NullLogger<ApprovalKeyRing>.Instance), TimeProvider.System);
        var store = new ApprovalStore(new PipelineTables(new TableServiceClient(Azurite.ConnectionString), Options.Create(new StorageOptions())));
        Gate = new ApprovalGate(store, Signer, new ApprovalNotifier(new NoHttp(), wrapped, TimeProvider.System, NullLogger<ApprovalNotifier>.Instance),
            wrapped, new ApprovalLinkOrigin(wrapped), TimeProvider.System, NullLogger<ApprovalGate>.Instance);

        var sample = await Client.GetFromJsonAsync<JsonObject>($"/api/stacks/{Stack}");
        var repository = (string?)sample?["repository"];
        if (repository is not null && repository.StartsWith("file:", StringComparison.Ordinal)) _repository = StackRepository.FromUrl(repository);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Starts a run of a new change of the sample stack and waits until it waits for approval.</summary>
    public async Task<(string Id, JsonObject Run)> StartWaitingRunAsync()
    {
        var commit = _repository?.CommitTemplateChange("approvals e2e") ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var response = await Client.PostAsJsonAsync($"/api/stacks/{Stack}/runs", new { commit, message = "approvals e2e", author = "Ann Example" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        // The run asks for its own approval links right after it starts waiting; the tests' own request
        // (with a signer they hold) must come after it, or the run's would replace it.
        var run = await Runs.WaitForGateAsync(id);
        return (id, run);
    }

    /// <summary>No webhook is configured here, so the notifier never sends.</summary>
    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No webhook is configured in this test.");
    }
}

[CollectionDefinition(Name)]
public sealed class ApprovalLinkCollection : ICollectionFixture<ApprovalLinkFixture>
{
    public const string Name = "ApprovalLinks";
}
