namespace Serverless.EndToEnd.Tests;

/// <summary>
/// A LocalHost with API keys for an Admin, approvers and operators, the webhooks' secrets, and no sample stack: the
/// approval gate tried as a hostile user would. Each test makes its own stack from a git repository it writes.
/// </summary>
public sealed class GateFixture : IAsyncLifetime
{
    public const string GitHubSecretA = "gate-github-secret-of-a";
    public const string GitHubSecretB = "gate-github-secret-of-b";
    public const string GitHubDefaultSecret = "gate-github-default-secret";
    public const string EventGridSecret = "gate-event-grid-secret";

    /// <summary>Callers by API key name; the approvers are named as git names them (Alice → alice@contoso.example).</summary>
    public static readonly IReadOnlyDictionary<string, (string Key, string Role)> Keys = new Dictionary<string, (string, string)>
    {
        ["release-admin"] = ("admin-" + Guid.NewGuid().ToString("N"), "Admin"),
        ["deploy-bot"] = ("bot-" + Guid.NewGuid().ToString("N"), "Operator"),
        ["alice@contoso.example"] = ("alice-" + Guid.NewGuid().ToString("N"), "Operator"),
        ["bob@contoso.example"] = ("bob-" + Guid.NewGuid().ToString("N"), "Operator"),
        ["carol@contoso.example"] = ("carol-" + Guid.NewGuid().ToString("N"), "Operator"),
        ["other-operator"] = ("other-" + Guid.NewGuid().ToString("N"), "Operator"),
    };

    public static readonly string[] Approvers = ["alice@contoso.example", "bob@contoso.example", "carol@contoso.example"];
    public static readonly string[] Operators = ["deploy-bot", .. Approvers];

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public string WorkDirectory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        WorkDirectory = Directory.CreateTempSubdirectory("pipeline-gate-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = WorkDirectory,
            ["Pipeline:RegisterSampleStack"] = "false",
            ["Triggers:GitHub:DefaultSecret"] = GitHubDefaultSecret,
            ["Triggers:GitHub:Secrets:contoso/a"] = GitHubSecretA,
            ["Triggers:GitHub:Secrets:contoso/b"] = GitHubSecretB,
            ["Triggers:EventGrid:Secret"] = EventGridSecret,
        };
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings.With(Keys.Select(k => (k.Key, k.Value.Key, k.Value.Role))));
    }

    public HttpClient Client(string caller) => ApiKeys.Client(Host, Keys[caller].Key, TimeSpan.FromSeconds(60));

    /// <summary>A new stack of its own: a tiny ARM repository and its registration (approvers alice, bob, carol; operators them and deploy-bot).</summary>
    public async Task<(string Stack, StackRepository Repository)> NewStackAsync(int minimumApprovals = 1, string? repositoryUrl = null)
    {
        var stack = TriggerHostFixture.NewStack("gate");
        var layout = new ArmStackRepository.Layout("qa", ["prod-1", "prod-2"], ResourceGroupPrefix: $"rg-{stack}");
        var repository = ArmStackRepository.Create(Path.Combine(WorkDirectory, "stacks", stack), layout);
        using var admin = Client("release-admin");
        var registered = await admin.PutAsJsonAsync($"/api/stacks/{stack}", Registrations.Of(stack, repositoryUrl ?? ArmStackRepository.FileUrl(repository),
            ["qa"], ["prod-1", "prod-2"], Approvers, minimumApprovals, operators: Operators));
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return (stack, repository);
    }

    /// <summary>A change of the template by <paramref name="author"/> (git: "Alice" is alice@contoso.example).</summary>
    public static string Change(StackRepository repository, string author) =>
        repository.Commit(ArmStackRepository.TemplateFile, text => text.Replace("\"resources\": []", "\"resources\": [] ", StringComparison.Ordinal) + " ", $"change by {author}", author);

    public async Task<JsonObject> StartAsync(string caller, string stack, object body)
    {
        using var client = Client(caller);
        var response = await client.PostAsJsonAsync($"/api/stacks/{stack}/runs", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<JsonObject> WaitForStatusAsync(string id, params string[] statuses)
    {
        using var client = Client("release-admin");
        return await Runs(client).WaitForStatusAsync(id, statuses);
    }

    /// <summary>Waits until the run waits at its gate with its approval request recorded (the request follows the status by a moment).</summary>
    public async Task<JsonObject> WaitForGateAsync(string id)
    {
        using var client = Client("release-admin");
        return await Runs(client).WaitForGateAsync(id);
    }

    /// <summary>The stack's runs as the run list shows them, once it shows at least one.</summary>
    public async Task<JsonArray> RunsAsync(string stack)
    {
        using var client = Client("release-admin");
        return await Runs(client).WaitForListAsync($"stack={stack}", runs => runs.Count > 0);
    }

    private RunWaiter Runs(HttpClient client) => new(client, () => Host.Process.Output);

    public async Task<HttpResponseMessage> DecideAsync(string caller, string id, string decision = "approve", string? by = null)
    {
        using var client = Client(caller);
        return await client.PostAsJsonAsync($"/api/runs/{id}/approval", by is null ? new { decision } : (object)new { decision, by });
    }

    public async Task<JsonObject> ApprovalsAsync(string id)
    {
        using var client = Client("release-admin");
        return (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>
/// The six ways the approval gate was walked around (issue "The gate cannot be walked around"), each tried again on
/// LocalHost with real API keys: each must now fail, and the gate decide as its policy says.
/// </summary>
public sealed class GateTests(GateFixture gate) : IClassFixture<GateFixture>
{
    [Fact]
    public async Task Deciding_through_the_API_is_the_same_decision_as_a_link_under_the_same_policy()
    {
        var (stack, repository) = await gate.NewStackAsync(minimumApprovals: 2);
        var commit = GateFixture.Change(repository, "Dave");
        var id = (string)(await gate.StartAsync("release-admin", stack, new { commit }))["id"]!;
        await gate.WaitForGateAsync(id);

        // One Operator key used to post `by: <the author>` and then `by: <anyone>`: a decision is the caller's own.
        var namedTheAuthor = await gate.DecideAsync("deploy-bot", id, by: "dave@contoso.example");
        var notAnApprover = await gate.DecideAsync("deploy-bot", id);
        // An Operator outside the stack's operators may neither decide nor obtain the signed links.
        var outsider = await gate.DecideAsync("other-operator", id);
        using var other = gate.Client("other-operator");
        var links = await other.PostAsync($"/api/runs/{id}/approvals/links", null);
        var first = await gate.DecideAsync("alice@contoso.example", id);
        var again = await gate.DecideAsync("alice@contoso.example", id);

        Assert.Equal(HttpStatusCode.BadRequest, namedTheAuthor.StatusCode);
        await AssertReasonAsync(notAnApprover, HttpStatusCode.Forbidden, "not-allowed");
        await AssertReasonAsync(outsider, HttpStatusCode.Forbidden, "not-operator");
        Assert.Equal(HttpStatusCode.Forbidden, links.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await AssertReasonAsync(again, HttpStatusCode.Conflict, "replayed");
        var waiting = await gate.WaitForStatusAsync(id, "AwaitingApproval");
        Assert.DoesNotContain(waiting["deployments"]!.AsArray(), d => (string)d!["kind"]! == "Production");

        // What the API decided is in the trail, with every refusal, exactly as a link's decision would be.
        var trail = await gate.ApprovalsAsync(id);
        Assert.Equal("Open", (string)trail["requests"]![0]!["status"]!);
        var decision = Assert.Single(trail["decisions"]!.AsArray());
        Assert.Equal(("alice@contoso.example", true), ((string)decision!["by"]!, (bool)decision["verified"]!));
        var refused = trail["audit"]!.AsArray().Where(a => (string)a!["outcome"]! == "Refused").Select(a => (string)a!["reason"]!).ToList();
        Assert.Contains("not-allowed", refused);
        Assert.Contains("not-operator", refused);
        Assert.Contains("replayed", refused);

        Assert.Equal(HttpStatusCode.Accepted, (await gate.DecideAsync("bob@contoso.example", id)).StatusCode);
        var run = await gate.WaitForStatusAsync(id, "Completed", "Failed");
        Assert.Equal("Completed", (string)run["status"]!);
        trail = await gate.ApprovalsAsync(id);
        Assert.Equal("Approved", (string)trail["requests"]![0]!["status"]!);
        Assert.Equal(["alice@contoso.example", "bob@contoso.example"], trail["decisions"]!.AsArray().Select(d => (string)d!["by"]!));
    }

    [Fact]
    public async Task A_change_cannot_name_its_own_approvers_nor_move_an_environment()
    {
        var (victim, _) = await gate.NewStackAsync();
        var (stack, repository) = await gate.NewStackAsync();

        var original = File.ReadAllText(Path.Combine(repository.Directory, "delivery.yaml"));
        // An unmerged commit names its author as approver and lets authors approve.
        var ownRules = repository.Commit("delivery.yaml", _ => original + """

            approval:
              approvers:
                users: [mallory@contoso.example]
              authorMayApprove: true
            """, "approve myself", "Mallory");
        // Another aims the test stage at the victim stack's production resource group.
        var moved = repository.Commit("delivery.yaml", _ => original.Replace("      - qa\n",
            $"      - name: qa\n        subscription: {Registrations.ProductionSubscription}\n        resourceGroup: rg-{victim}-prod-1\n", StringComparison.Ordinal),
            "test in their production", "Mallory");

        var ownRulesRun = await gate.WaitForStatusAsync((string)(await gate.StartAsync("deploy-bot", stack, new { commit = ownRules }))["id"]!, "Failed", "AwaitingApproval");
        var movedRun = await gate.WaitForStatusAsync((string)(await gate.StartAsync("deploy-bot", stack, new { commit = moved }))["id"]!, "Failed", "AwaitingApproval");

        Assert.Equal("Failed", (string)ownRulesRun["status"]!);
        Assert.Contains("not among the users the stack's registration lets approve", (string)ownRulesRun["reason"]!, StringComparison.Ordinal);
        Assert.Contains("cannot allow it", (string)ownRulesRun["reason"]!, StringComparison.Ordinal);
        Assert.Equal("Failed", (string)movedRun["status"]!);
        Assert.Contains("registration decides where environments are", (string)movedRun["reason"]!, StringComparison.Ordinal);
        Assert.Empty(movedRun["deployments"]!.AsArray());
        using var arm = gate.Host.Arm!.CreateClient();
        var groups = (await arm.GetFromJsonAsync<JsonObject>("/_localarm/stats"))!["resourceGroups"]!.AsArray();
        Assert.DoesNotContain(groups, g => string.Equals((string)g!["resourceGroup"]!, $"rg-{victim}-prod-1", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_registration_decides_the_environments_and_refuses_one_that_reaches_into_another_stack()
    {
        var (victim, _) = await gate.NewStackAsync();
        using var admin = gate.Client("release-admin");

        var grabbing = await admin.PutAsJsonAsync("/api/stacks/grabbing-stack", new
        {
            repository = "https://git.example/grab.git",
            environments = new[] { Registrations.Environment(victim, "prod-1", "test", Registrations.ProductionSubscription), Registrations.Environment("grab", "prod", "production", Registrations.ProductionSubscription) },
            production = new { approvers = new { users = new[] { "alice@contoso.example" } } },
        });
        var inconsistent = await admin.PutAsJsonAsync("/api/stacks/inconsistent-stack", new
        {
            repository = "https://git.example/x.git",
            environments = new[] { new { name = "qa", kind = "staging", subscription = "nope", resourceGroup = "rg-x", location = "westeurope" } },
            production = new { approvers = new { users = Array.Empty<string>() } },
        });
        using var operatorKey = gate.Client("deploy-bot");
        var notAdmin = await operatorKey.PutAsJsonAsync($"/api/stacks/{victim}", Registrations.Of(victim, "https://git.example/other.git"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, grabbing.StatusCode);
        Assert.Contains($"is already environment 'prod-1' of stack '{victim}'", await grabbing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, inconsistent.StatusCode);
        var errors = (await inconsistent.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("environments[0].kind", errors);
        Assert.Contains("environments[0].subscription", errors);
        Assert.Contains("production.approvers", errors);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/stacks/grabbing-stack")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/stacks/inconsistent-stack")).StatusCode);
    }

    [Fact]
    public async Task The_authors_are_what_git_says_and_who_asked_for_the_run()
    {
        var (stack, repository) = await gate.NewStackAsync();
        var commit = GateFixture.Change(repository, "Alice");

        // The start says someone else wrote it; bob asks for the run.
        var id = (string)(await gate.StartAsync("bob@contoso.example", stack, new { commit, author = "Build Bot", message = "routine" }))["id"]!;
        var waiting = await gate.WaitForGateAsync(id);
        var byAuthor = await gate.DecideAsync("alice@contoso.example", id);
        var byRequester = await gate.DecideAsync("bob@contoso.example", id);
        var byCarol = await gate.DecideAsync("carol@contoso.example", id);

        Assert.StartsWith("Alice <alice@contoso.example>", (string)waiting["commit"]!["author"]!, StringComparison.Ordinal);
        Assert.Equal($"change by Alice", (string)waiting["commit"]!["message"]!);
        await AssertReasonAsync(byAuthor, HttpStatusCode.Forbidden, "self-approval");
        await AssertReasonAsync(byRequester, HttpStatusCode.Forbidden, "self-approval");
        Assert.Equal(HttpStatusCode.Accepted, byCarol.StatusCode);
        Assert.Equal("Completed", (string)(await gate.WaitForStatusAsync(id, "Completed", "Failed"))["status"]!);
    }

    [Fact]
    public async Task A_run_builds_the_registered_repository_and_nothing_else()
    {
        var (stack, repository) = await gate.NewStackAsync();
        var (_, elsewhere) = await gate.NewStackAsync();
        var commit = GateFixture.Change(repository, "Dave");
        using var bot = gate.Client("deploy-bot");

        var other = await bot.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit, repository = ArmStackRepository.FileUrl(elsewhere) });
        var remote = await bot.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit, repository = "https://attacker.example/evil.git" });
        var before = (await bot.GetFromJsonAsync<JsonArray>($"/api/runs?stack={stack}"))!;
        var registered = await bot.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit, repository = ArmStackRepository.FileUrl(repository) });

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { other.StatusCode, remote.StatusCode });
        Assert.Contains("builds its registered repository", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(before);
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
    }

    [Fact]
    public async Task A_GitHub_push_is_authenticated_by_the_repository_whose_runs_it_starts()
    {
        var (stackOfB, _) = await gate.NewStackAsync(repositoryUrl: "https://github.com/contoso/b");
        var commit = TriggerHostFixture.NewCommit();

        // Signed with A's secret (and with the default secret, as the unknown repository c) while carrying B's address.
        var asA = Webhooks.GitHubPush("contoso/a", [commit], [DateTimeOffset.UtcNow.ToString("O")], "main.json", htmlUrl: "https://github.com/contoso/b");
        var asC = Webhooks.GitHubPush("contoso/c", [commit], [DateTimeOffset.UtcNow.ToString("O")], "main.json", htmlUrl: "https://github.com/contoso/b");
        var refusedA = await PostGitHubAsync(asA, GateFixture.GitHubSecretA);
        var refusedC = await PostGitHubAsync(asC, GateFixture.GitHubDefaultSecret);
        var wrongSecret = await PostGitHubAsync(Webhooks.GitHubPush("contoso/b", [commit], [DateTimeOffset.UtcNow.ToString("O")], "main.json"), GateFixture.GitHubSecretA);
        using var admin = gate.Client("release-admin");
        var runs = (await admin.GetFromJsonAsync<JsonArray>($"/api/runs?stack={stackOfB}"))!;
        var genuine = await PostGitHubAsync(Webhooks.GitHubPush("contoso/b", [commit], [DateTimeOffset.UtcNow.ToString("O")], "main.json"), GateFixture.GitHubSecretB);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], new[] { refusedA.StatusCode, refusedC.StatusCode, wrongSecret.StatusCode });
        Assert.Contains("names another repository", await refusedA.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(runs);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        Assert.Equal($"{stackOfB}.{commit}", (string)(await genuine.Content.ReadFromJsonAsync<JsonObject>())!["events"]![0]!["runs"]![0]!["id"]!);
    }

    [Fact]
    public async Task One_commit_is_one_run_however_it_is_named()
    {
        var (stack, repository) = await gate.NewStackAsync();
        var commit = GateFixture.Change(repository, "Dave");

        var shortStart = await gate.StartAsync("deploy-bot", stack, new { commit = commit[..7] });
        var push = await PostEventGridPushAsync(ArmStackRepository.FileUrl(repository), commit);
        using var bot = gate.Client("deploy-bot");
        var longerStart = await bot.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit = commit[..12].ToUpperInvariant() });
        var unknown = await bot.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit = "0000000" });

        Assert.Equal($"{stack}.{commit}", (string)shortStart["id"]!);
        Assert.Equal(commit, (string)shortStart["commit"]!);
        Assert.Equal(HttpStatusCode.OK, push.StatusCode);
        Assert.True((bool)(await push.Content.ReadFromJsonAsync<JsonObject>())!["events"]![0]!["runs"]![0]!["alreadyStarted"]!);
        Assert.Equal(HttpStatusCode.OK, longerStart.StatusCode);
        Assert.Equal($"{stack}.{commit}", (string)(await longerStart.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("names no commit", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await gate.RunsAsync(stack));
    }

    private async Task<HttpResponseMessage> PostGitHubAsync(byte[] body, string secret)
    {
        using var client = new HttpClient { BaseAddress = gate.Host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", Webhooks.Sign(body, secret));
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostEventGridPushAsync(string repository, string after)
    {
        using var client = new HttpClient { BaseAddress = gate.Host.BaseAddress };
        var events = new JsonArray(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.EventGrid/topics/pushes",
            ["subject"] = "refs/heads/main",
            ["eventType"] = "Serverless.Pipeline.RepositoryPush",
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["dataVersion"] = "1.0",
            ["data"] = new JsonObject { ["repository"] = repository, ["ref"] = "refs/heads/main", ["after"] = after, ["commits"] = new JsonArray() },
        });
        return await client.PostAsJsonAsync($"/api/events/eventgrid?secret={GateFixture.EventGridSecret}", events);
    }

    private static async Task AssertReasonAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {reason}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(reason, (string?)JsonNode.Parse(body)!["reason"]);
    }
}
