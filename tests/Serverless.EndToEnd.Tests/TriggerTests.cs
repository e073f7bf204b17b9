using System.Net.Http.Headers;
using Azure.Data.Tables;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The push webhooks of LocalHost, driven over HTTP as Event Grid and GitHub drive them: handshakes, secrets and
/// signatures, pushes that start runs (once), pushes that start nothing, bad and oversized deliveries.
/// </summary>
[Collection(TriggerHostCollection.Name)]
public sealed class TriggerTests(TriggerHostFixture app)
{
    private const string PushType = "Serverless.Pipeline.RepositoryPush";
    private static readonly string EventGridPath = $"/api/events/eventgrid?secret={TriggerHostFixture.EventGridSecret}";

    [Fact]
    public async Task The_Event_Grid_subscription_validation_is_answered_with_its_code()
    {
        var validation = new JsonArray(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.EventGrid/topics/pushes",
            ["subject"] = "",
            ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["dataVersion"] = "1",
            ["metadataVersion"] = "1",
            ["data"] = new JsonObject { ["validationCode"] = "0c2e4a5f-9d1b-4b7e-a3c8-6f0e2d4b8a11", ["validationUrl"] = "https://rp-westeurope.eventgrid.azure.net/validate?id=x" },
        });

        var response = await PostEventGridAsync(validation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0c2e4a5f-9d1b-4b7e-a3c8-6f0e2d4b8a11", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["validationResponse"]!);
    }

    [Fact]
    public async Task The_CloudEvents_abuse_protection_handshake_grants_the_origin_and_rate()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, EventGridPath);
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        request.Headers.Add("WebHook-Request-Rate", "120");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.Equal(TriggerHostFixture.AllowedRate, response.Headers.GetValues("WebHook-Allowed-Rate").Single());
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("POST", "?secret=wrong")]
    [InlineData("POST", "?code=e2e-event-grid-secret")]
    [InlineData("OPTIONS", "?secret=wrong")]
    public async Task Event_Grid_requests_without_the_secret_are_refused_with_401(string method, string query)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/events/eventgrid" + query);
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        if (method == "POST") request.Content = Json(new JsonArray(EventGridEvent(PushData("https://git.example/e2e/x", "main", TriggerHostFixture.NewCommit()))));

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("WebHook-Allowed-Origin"));
    }

    [Fact]
    public async Task An_Event_Grid_push_starts_exactly_one_run_and_its_redelivery_none()
    {
        var stack = TriggerHostFixture.NewStack("eg");
        var repository = $"https://git.example/e2e/{stack}";
        await app.RegisterAsync(stack, repository + ".git");
        var first = TriggerHostFixture.NewCommit();
        var head = TriggerHostFixture.NewCommit();
        var e = EventGridEvent(PushData("git@git.example:E2E/" + stack + ".git", "main", head, Commit(first, "stacks/a.bicep"), Commit(head, "stacks/b.bicep")));

        var started = await PostEventGridAsync(new JsonArray(e));
        var redelivered = await PostEventGridAsync(new JsonArray(e.DeepClone()));
        // The same push published again as a CloudEvent, under another id, is still the same change.
        var republished = await PostEventGridAsync(CloudEvent(e["data"]!.DeepClone()), "application/cloudevents+json");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var answer = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1, (int)answer["started"]!);
        var run = answer["events"]![0]!["runs"]!.AsArray().Single()!;
        Assert.Equal($"{stack}.{head}", (string)run["id"]!);
        foreach (var again in new[] { redelivered, republished })
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            var body = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal((0, 1), ((int)body["started"]!, (int)body["alreadyStarted"]!));
            Assert.Equal("AlreadyStarted", (string)body["events"]![0]!["outcome"]!);
        }

        var view = await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{stack}.{head}");
        Assert.Equal(head, (string)view!["commit"]!["id"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/api/runs/{stack}.{first}")).StatusCode);
        Assert.Equal([stack + "." + head], await InstancesAsync(stack));
    }

    [Fact]
    public async Task A_signed_GitHub_push_starts_a_run_and_records_its_three_changes()
    {
        var stack = TriggerHostFixture.NewStack("gh");
        await app.RegisterAsync(stack, $"https://github.com/{TriggerHostFixture.GitHubRepository}", paths: [$"stacks/{stack}/**"]);
        var commits = new[] { TriggerHostFixture.NewCommit(), TriggerHostFixture.NewCommit(), TriggerHostFixture.NewCommit() };
        var times = new[] { "2026-03-02T09:02:11+01:00", "2026-03-02T09:07:40+01:00", "2026-03-02T09:12:03+01:00" };
        var body = Webhooks.GitHubPush(TriggerHostFixture.GitHubRepository, commits, times, $"stacks/{stack}/main.bicep");

        var refused = await PostGitHubAsync("push", body, TriggerHostFixture.GitHubDefaultSecret);
        var response = await PostGitHubAsync("push", body, TriggerHostFixture.GitHubRepositorySecret);

        // The repository has a secret of its own: the default one does not sign its deliveries.
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{stack}.{commits[2]}");
        Assert.Equal("Add the third change", (string)run!["commit"]!["message"]!);

        var changes = await app.Storage.RowsAsync("changes", stack);
        Assert.Equal(commits.Order(), changes.Select(c => c.RowKey).Order());
        for (var i = 0; i < 3; i++)
        {
            var change = changes.Single(c => c.RowKey == commits[i]);
            Assert.Equal(DateTimeOffset.Parse(times[i], System.Globalization.CultureInfo.InvariantCulture), change.GetDateTimeOffset("CommittedAt"));
            Assert.Equal((commits[2], $"{stack}.{commits[2]}", "Ann Lee"), (change.GetString("HeadCommit"), change.GetString("RunId"), change.GetString("Author")));
        }

        // All three are indexed under the run, so that lead time counts each of them when the release lands.
        var byRun = await app.Storage.RowsAsync("changesbyrun", $"{stack}.{commits[2]}");
        Assert.Equal(commits.Order(), byRun.Select(c => c.RowKey).Order());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("wrong-secret")]
    public async Task A_GitHub_delivery_with_a_wrong_or_missing_signature_is_refused_with_401(string? signature)
    {
        var commit = TriggerHostFixture.NewCommit();
        var body = Webhooks.GitHubPush("contoso/e2e-unsigned", [commit], ["2026-03-02T09:00:00Z"], "main.bicep");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null)
            request.Headers.Add("X-Hub-Signature-256", signature.StartsWith("sha256=", StringComparison.Ordinal) ? signature : Webhooks.Sign(body, signature));

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_GitHub_ping_is_answered_and_other_events_are_acknowledged_with_a_reason()
    {
        var ping = Encoding.UTF8.GetBytes("""{"zen":"Keep it logically awesome.","hook_id":42,"repository":{"full_name":"contoso/e2e-ping"}}""");
        var star = Encoding.UTF8.GetBytes("""{"action":"created","repository":{"full_name":"contoso/e2e-ping"}}""");

        var pong = await PostGitHubAsync("ping", ping, TriggerHostFixture.GitHubDefaultSecret);
        var ignored = await PostGitHubAsync("star", star, TriggerHostFixture.GitHubDefaultSecret);

        Assert.Equal(HttpStatusCode.OK, pong.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ignored.StatusCode);
        Assert.Contains("'star' is ignored", (string)(await ignored.Content.ReadFromJsonAsync<JsonObject>())!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_that_touches_no_stacks_paths_or_branch_starts_nothing()
    {
        var stack = TriggerHostFixture.NewStack("paths");
        var repository = $"https://git.example/e2e/{stack}";
        await app.RegisterAsync(stack, repository, branch: "release/*", paths: ["stacks/net/**"]);
        var docs = TriggerHostFixture.NewCommit();
        var onMain = TriggerHostFixture.NewCommit();
        var pushDocs = EventGridEvent(PushData(repository, "release/2026.03", docs, Commit(docs, "docs/readme.md", "stacks/network.md")));
        var pushMain = EventGridEvent(PushData(repository, "main", onMain, Commit(onMain, "stacks/net/main.bicep")));

        var response = await PostEventGridAsync(new JsonArray(pushDocs, pushMain));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((0, 2), ((int)answer["started"]!, (int)answer["ignored"]!));
        Assert.Contains("changed no file under the paths", (string)answer["events"]![0]!["reason"]!, StringComparison.Ordinal);
        Assert.Contains("delivers branch 'main'", (string)answer["events"]![1]!["reason"]!, StringComparison.Ordinal);
        Assert.Empty(await InstancesAsync(stack));
        Assert.NotNull(await IgnoredAsync((string)pushDocs["id"]!));
    }

    [Fact]
    public async Task A_push_for_an_unknown_repository_is_accepted_and_recorded_as_ignored()
    {
        var commit = TriggerHostFixture.NewCommit();
        var e = CloudEvent(PushData("https://git.example/e2e/nobody-registered-this", "main", commit, Commit(commit, "main.bicep")));

        var response = await PostEventGridAsync(e, "application/cloudevents+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await IgnoredAsync((string)e["id"]!);
        Assert.NotNull(row);
        Assert.Equal("No stack is registered for repository https://git.example/e2e/nobody-registered-this.", row.GetString("Reason"));
        Assert.Equal(commit, row.GetString("After"));
    }

    [Fact]
    public async Task A_concurrent_burst_of_500_events_with_duplicates_starts_exactly_one_run_per_stack_and_commit()
    {
        // Repository A holds two stacks, repository B one; repository C has none. Three pushes to each.
        var repoA = $"https://git.example/e2e/{TriggerHostFixture.NewStack("burst-a")}";
        var repoB = $"https://git.example/e2e/{TriggerHostFixture.NewStack("burst-b")}";
        var repoC = $"https://git.example/e2e/{TriggerHostFixture.NewStack("burst-c")}";
        var stacks = new[] { TriggerHostFixture.NewStack("a1"), TriggerHostFixture.NewStack("a2"), TriggerHostFixture.NewStack("b1") };
        await app.RegisterAsync(stacks[0], repoA, paths: ["net/**"]);
        await app.RegisterAsync(stacks[1], repoA, paths: ["dns/**"]);
        await app.RegisterAsync(stacks[2], repoB);
        var pushes = new[] { repoA, repoB, repoC }.SelectMany(repo => Enumerable.Range(0, 3).Select(_ =>
        {
            var head = TriggerHostFixture.NewCommit();
            return (Repository: repo, Head: head, Data: PushData(repo, "main", head, Commit(head, "net/main.bicep", "dns/zone.bicep")), Id: Guid.NewGuid().ToString());
        })).ToList();

        // 500 events: every push many times, some redelivered under their id, some republished under a new one.
        var random = new Random(2026);
        var events = Enumerable.Range(0, 500).Select(i =>
        {
            var push = pushes[i % pushes.Count];
            var id = random.Next(2) == 0 ? push.Id : Guid.NewGuid().ToString();
            return (Push: push, Id: id);
        }).OrderBy(_ => random.Next()).ToList();
        var batches = events.Chunk(50).Select((batch, i) => i % 2 == 0
            ? (Body: (JsonNode)new JsonArray([.. batch.Select(e => EventGridEvent(e.Push.Data.DeepClone(), e.Id))]), Type: "application/json")
            : (Body: new JsonArray([.. batch.Select(e => CloudEvent(e.Push.Data.DeepClone(), e.Id))]), Type: "application/cloudevents-batch+json"));

        var responses = await Task.WhenAll(batches.Select(b => PostEventGridAsync(b.Body, b.Type)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, r.StatusCode.ToString()));
        var answers = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonObject>()));
        var expected = pushes.Where(p => p.Repository != repoC)
            .SelectMany(p => p.Repository == repoA ? new[] { $"{stacks[0]}.{p.Head}", $"{stacks[1]}.{p.Head}" } : [$"{stacks[2]}.{p.Head}"])
            .Order().ToList();
        Assert.Equal(9, expected.Count);
        // Each run was started by exactly one event; every other event found it started.
        Assert.Equal(expected, answers.SelectMany(a => a!["events"]!.AsArray())
            .SelectMany(e => e!["runs"]!.AsArray()).Where(r => !(bool)r!["alreadyStarted"]!).Select(r => (string)r!["id"]!).Order());
        Assert.Equal(9, answers.Sum(a => (int)a!["started"]!));
        Assert.Equal(events.Count(e => e.Push.Repository == repoC), answers.Sum(a => (int)a!["ignored"]!));
        // And the engine holds exactly these runs of the three stacks.
        var instances = new List<string>();
        foreach (var stack in stacks) instances.AddRange(await InstancesAsync(stack));
        Assert.Equal(expected, instances.Order());
        foreach (var id in expected) Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync($"/api/runs/{id}")).StatusCode);
    }

    /// <summary>Bodies that are not an event batch at all: only these are refused as a whole.</summary>
    public static TheoryData<string, string, string> Malformed => new()
    {
        { "application/json", "{not json", "not valid JSON" },
        { "application/json", "42", "an event (a JSON object) or an array of events" },
        { "application/cloudevents-batch+json", "[]", "holds no events" },
    };

    [Fact]
    public async Task A_batch_with_bad_events_acts_on_the_valid_ones_and_records_each_bad_one_with_its_error()
    {
        var stack = TriggerHostFixture.NewStack("batch");
        var repository = $"https://git.example/e2e/{stack}";
        await app.RegisterAsync(stack, repository);
        var commit = TriggerHostFixture.NewCommit();
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var noAfter = PushData(repository, "main", commit);
        noAfter.Remove("after");
        var unrelated = EventGridEvent(new JsonObject { ["ref"] = "refs/heads/main", ["note"] = "a storage blob was created" }, ids[1]);
        unrelated["eventType"] = "Microsoft.Storage.BlobCreated";
        var noType = EventGridEvent(PushData(repository, "main", commit), ids[3]);
        noType.Remove("eventType");
        // A valid push, an event of another type, a push without `after`, and something that is not an event of any schema.
        var batch = new JsonArray(EventGridEvent(PushData(repository, "main", commit, Commit(commit, "main.bicep")), ids[0]), unrelated, EventGridEvent(noAfter, ids[2]), noType);

        var response = await PostEventGridAsync(batch);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((4, 1, 3), ((int)answer["received"]!, (int)answer["started"]!, (int)answer["ignored"]!));
        var outcomes = answer["events"]!.AsArray();
        Assert.Equal(["Started", "Ignored", "Ignored", "Ignored"], outcomes.Select(e => (string)e!["outcome"]!));
        Assert.Equal($"{stack}.{commit}", (string)outcomes[0]!["runs"]![0]!["id"]!);
        Assert.Contains("data.after: The commit id is required.", (string)outcomes[2]!["reason"]!, StringComparison.Ordinal);
        Assert.Contains("neither an Event Grid event", (string)outcomes[3]!["reason"]!, StringComparison.Ordinal);
        foreach (var id in ids.Skip(1).Take(2)) Assert.NotNull(await IgnoredAsync(id));
        Assert.Contains("is not Serverless.Pipeline.RepositoryPush", (await IgnoredAsync(ids[1]))!.GetString("Reason"), StringComparison.Ordinal);
        Assert.Contains("data.after", (await IgnoredAsync(ids[2]))!.GetString("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CloudEvent_whose_attribute_is_null_is_read_as_that_attribute_unset()
    {
        var stack = TriggerHostFixture.NewStack("nullattr");
        var repository = $"https://git.example/e2e/{stack}";
        await app.RegisterAsync(stack, repository);
        var commit = TriggerHostFixture.NewCommit();
        var cloudEvent = CloudEvent(PushData(repository, "main", commit, Commit(commit, "main.bicep")));
        cloudEvent["unsetextension"] = null;   // as in the CloudEvents JSON format's own example
        cloudEvent["subject"] = null;

        var response = await app.Client.PostAsync(EventGridPath, Json(cloudEvent, "application/cloudevents+json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"{stack}.{commit}", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["events"]![0]!["runs"]![0]!["id"]!);
    }

    [Fact]
    public async Task A_GitHub_push_of_several_megabytes_is_accepted_by_the_one_webhook_limit()
    {
        var stack = TriggerHostFixture.NewStack("bigpush");
        await app.RegisterAsync(stack, $"https://github.com/{TriggerHostFixture.GitHubRepository}", paths: [$"stacks/{stack}/**"]);
        var commit = TriggerHostFixture.NewCommit();
        var payload = JsonNode.Parse(Webhooks.GitHubPush(TriggerHostFixture.GitHubRepository, [commit], [DateTimeOffset.UtcNow.ToString("O")], $"stacks/{stack}/main.bicep"))!;
        // A merge push: thousands of touched files make the payload several MB (GitHub sends up to 25 MB).
        payload["head_commit"]!["added"] = new JsonArray([.. Enumerable.Range(0, 80_000).Select(i => JsonValue.Create($"stacks/{stack}/generated/file-{i:D6}.json"))]);
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());

        var response = await PostGitHubAsync("push", body, TriggerHostFixture.GitHubRepositorySecret);

        Assert.True(body.Length > 3 * 1024 * 1024, $"{body.Length} bytes");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_delivery_is_refused_with_400_and_writes_nothing(string contentType, string body, string mention)
    {
        var ignoredBefore = await CountIgnoredAsync();
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        var response = await app.Client.PostAsync(EventGridPath, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mention, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ignoredBefore, await CountIgnoredAsync());
    }

    [Fact]
    public async Task Oversized_deliveries_are_refused_with_413_and_other_media_types_with_415()
    {
        var commit = TriggerHostFixture.NewCommit();
        var big = PushData("https://git.example/e2e/big", "main", commit, Commit(commit, "main.bicep"));
        big["commits"]![0]!["message"] = new string('x', 25 * 1024 * 1024);
        var many = new JsonArray([.. Enumerable.Range(0, 101).Select(_ => EventGridEvent(PushData("https://git.example/e2e/many", "main", commit)))]);

        var tooBig = await PostEventGridAsync(new JsonArray(EventGridEvent(big)));
        var tooMany = await PostEventGridAsync(many);
        var gitHubTooBig = await PostGitHubAsync("push", Encoding.UTF8.GetBytes(big.ToJsonString()), TriggerHostFixture.GitHubDefaultSecret);
        using var xml = new StringContent("<push/>", Encoding.UTF8, "application/xml");
        var unsupported = await app.Client.PostAsync(EventGridPath, xml);

        Assert.Equal([HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType],
            new[] { tooBig.StatusCode, tooMany.StatusCode, gitHubTooBig.StatusCode, unsupported.StatusCode });
        Assert.Contains("at most 100 events", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostEventGridAsync(JsonNode body, string contentType = "application/json") =>
        await app.Client.PostAsync(EventGridPath, Json(body, contentType));

    private async Task<HttpResponseMessage> PostGitHubAsync(string eventName, byte[] body, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", Webhooks.Sign(body, secret));
        return await app.Client.SendAsync(request);
    }

    private static StringContent Json(JsonNode body, string contentType = "application/json")
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    private static JsonObject PushData(string repository, string branch, string after, params JsonObject[] commits) => new()
    {
        ["repository"] = repository,
        ["ref"] = $"refs/heads/{branch}",
        ["before"] = "0000000000000000000000000000000000000000",
        ["after"] = after,
        ["commits"] = new JsonArray(commits),
    };

    private static JsonObject Commit(string id, params string[] modified) => new()
    {
        ["id"] = id,
        ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"),
        ["message"] = $"Change {id[..7]}",
        ["author"] = "Ann Lee <ann@contoso.example>",
        ["added"] = new JsonArray(),
        ["modified"] = new JsonArray([.. modified.Select(p => JsonValue.Create(p))]),
        ["removed"] = new JsonArray(),
    };

    private static JsonObject EventGridEvent(JsonNode data, string? id = null) => new()
    {
        ["id"] = id ?? Guid.NewGuid().ToString(),
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.EventGrid/topics/pushes",
        ["subject"] = (string)data["ref"]!,
        ["eventType"] = PushType,
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["dataVersion"] = "1.0",
        ["data"] = data,
    };

    private static JsonObject CloudEvent(JsonNode data, string? id = null) => new()
    {
        ["specversion"] = "1.0",
        ["type"] = PushType,
        ["source"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.EventGrid/topics/pushes",
        ["id"] = id ?? Guid.NewGuid().ToString(),
        ["time"] = DateTimeOffset.UtcNow.ToString("O"),
        ["subject"] = (string)data["ref"]!,
        ["datacontenttype"] = "application/json",
        ["data"] = data,
    };

    /// <summary>The engine's own record of orchestrations of the stack: one row per instance, keyed by the instance (run) id.</summary>
    private Task<List<string>> InstancesAsync(string stack) => app.Storage.InstancesAsync(TriggerHostFixture.TaskHub, stack + ".", stack + "/");

    private Task<TableEntity?> IgnoredAsync(string eventId) =>
        app.Storage.RowAsync("ignoredevents", DateTimeOffset.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), $"eventgrid.{eventId}");

    private Task<int> CountIgnoredAsync() => app.Storage.RowCountAsync("ignoredevents");
}
