using System.Net.Http.Headers;
using Serverless.Pipeline.Security;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Azurite and a LocalHost process of their own for the fault drills, with a tiny ARM stack (no Bicep, so builds
/// are quick) in a local git repository, and both push webhooks' secrets configured so that bad input reaches
/// past their authentication.
/// </summary>
public sealed class FaultDrillFixture : IAsyncLifetime
{
    public const string Stack = "drill";
    public const string TaskHub = "faultdrills";
    public const string TablePrefix = "pipe";
    public const string EventGridSecret = "drill-event-grid-secret";
    public const string GitHubSecret = "drill-github-secret";

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that shows redirects instead of following them.</summary>
    public HttpClient RawClient { get; private set; } = null!;

    public StackRepository Repository { get; private set; } = null!;
    private string _root = null!;

    public StorageProbe Storage => new(Azurite.ConnectionString, TablePrefix);
    public RunWaiter Runs { get; private set; } = null!;

    /// <summary>
    /// A storage outage: stops Azurite as a service stop would (SIGTERM: it saves its data and closes), waits, and
    /// starts it again on the same ports and data folder.
    /// </summary>
    public async Task StopAndStartStorageAsync(TimeSpan downtime)
    {
        var (blob, queue, table, data) = (Azurite.BlobPort, Azurite.QueuePort, Azurite.TablePort, Azurite.DataDirectory);
        await Azurite.DisposeAsync();
        await Task.Delay(downtime);
        Azurite = await Azurite.StartAsync(blob, queue, table, data);
    }

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("fault-drills-").FullName;
        Azurite = await Azurite.StartOnFreePortsAsync(Path.Combine(_root, "azurite"));
        Repository = ArmStackRepository.Create(Path.Combine(_root, "stack"), ArmStackRepository.Layout.Default);
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = Path.Combine(_root, "work"),
            ["Engine:TaskHub"] = TaskHub,
            ["Pipeline:RegisterSampleStack"] = "false",
            ["Triggers:EventGrid:Secret"] = EventGridSecret,
            ["Triggers:GitHub:DefaultSecret"] = GitHubSecret,
        });
        Client = Host.CreateClient();
        Runs = new RunWaiter(Client, () => Host.Process.Output);
        RawClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var registered = await Client.PutAsJsonAsync($"/api/stacks/{Stack}", ArmStackRepository.Layout.Default.Registration(ArmStackRepository.FileUrl(Repository)));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        RawClient.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>Every table of the delivery record and the engine's instances that has rows, with their count; the approval audit trail is left out (a refused link is audited by design).</summary>
    public Task<Dictionary<string, int>> RowCountsAsync() => Storage.RowCountsAsync(TaskHub, "approvals");
}

[CollectionDefinition(Name)]
public sealed class FaultDrillCollection : ICollectionFixture<FaultDrillFixture>
{
    public const string Name = "FaultDrills";
}

/// <summary>
/// Storage goes away in the middle of a run: the run still finishes, once storage is back. Azurite keeps its data in
/// memory and saves it every 5 seconds (and when it is stopped), so a crash of the emulator loses the last seconds of
/// acknowledged writes, which Azure Storage never does: the crash drill lets a save happen first.
/// </summary>
[Collection(FaultDrillCollection.Name)]
public sealed class FaultDrillStorageTests(FaultDrillFixture drill)
{
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AzuriteSaveInterval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Azurite_crashed_and_restarted_while_a_run_waits_for_approval_the_run_still_completes_after_approval()
    {
        var id = await StartAsync("crash while waiting");
        await WaitForStatusAsync(id, "AwaitingApproval");
        await Task.Delay(AzuriteSaveInterval + TimeSpan.FromSeconds(1));

        await drill.Azurite.RestartAsync(Downtime);

        await ApproveAsync(id);
        var run = await WaitForStatusAsync(id, "Completed");
        Assert.Equal(["prod-1", "prod-2", "qa"], run["deployments"]!.AsArray().Select(d => (string)d!["environment"]!).Order(StringComparer.Ordinal));
        Assert.False(drill.Host.Process.HasExited);
    }

    /// <summary>
    /// Stopping and starting Azurite takes 20–30 s here. This drill found that the stage retry budget (then 4 attempts
    /// 2, 4 and 8 s apart) was shorter than that, so a run failed at build; stages now retry for about a minute.
    /// </summary>
    [Fact]
    public async Task Azurite_stopped_and_started_while_a_run_is_being_built_the_run_still_completes_after_approval()
    {
        var id = await StartAsync("outage while building");

        await drill.StopAndStartStorageAsync(Downtime);

        await WaitForStatusAsync(id, "AwaitingApproval");
        await ApproveAsync(id);
        var run = await WaitForStatusAsync(id, "Completed");
        Assert.Equal(["prod-1", "prod-2", "qa"], run["deployments"]!.AsArray().Select(d => (string)d!["environment"]!).Order(StringComparer.Ordinal));
        Assert.False(drill.Host.Process.HasExited);
    }

    private async Task<string> StartAsync(string message)
    {
        var commit = ArmStackRepository.CommitChange(drill.Repository, message);
        var response = await drill.Client.PostAsJsonAsync($"/api/stacks/{FaultDrillFixture.Stack}/runs", new { commit, message, author = "drill" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>Approves through the API, retrying while storage is coming back (the host may answer 5xx or time out meanwhile).</summary>
    private async Task ApproveAsync(string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var answers = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await drill.Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "approve", by = ArmStackRepository.Approver });
                if (response.StatusCode == HttpStatusCode.Accepted) return;
                answers.Add($"{(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answers.Add(e.GetType().Name);
            }
            await Task.Delay(300);
        }
        Assert.Fail($"Run {id} could not be approved: {string.Join(", ", answers)}\n{drill.Host.Process.Output}");
    }

    /// <summary>Storage may be coming back: a failed read of the run is counted and read again.</summary>
    private Task<JsonObject> WaitForStatusAsync(string id, string status) =>
        drill.Runs.WaitForStatusAsync(id, [status], tolerateUnavailable: true);
}

/// <summary>
/// A corpus of bad input sent to every HTTP endpoint LocalHost maps: malformed JSON, bodies over 1 MB, wrong types,
/// path traversal, odd unicode (RTL override, zero-width space, emoji, NUL), missing or wrong content types and
/// missing headers. Every answer is a 4xx problem (RFC 9457), the host stays up, and nothing is written.
/// </summary>
[Collection(FaultDrillCollection.Name)]
public sealed class FaultDrillBadInputTests(FaultDrillFixture drill)
{
    private const string Stack = FaultDrillFixture.Stack;
    private const string NoRun = "drill.0000000";
    private const string NoIncident = "inc-0000000000000000";

    /// <summary>Names and ids that must never resolve to anything: traversal, odd unicode, NUL, too long, wrong case.</summary>
    private static readonly string[] BadNames =
    [
        "..%2F..%2Fetc",
        "..%2F..%2Fetc%2Fpasswd",
        "%2E%2E%2F%2E%2E%2Fetc",
        "..%5C..%5Cwindows",
        Uri.EscapeDataString("dri\u202Ell"),       // right-to-left override
        Uri.EscapeDataString("dr\u200Bill"),       // zero-width space
        Uri.EscapeDataString("drill-\U0001F600"),  // emoji
        "drill%00",                                // NUL
        "%00",
        Uri.EscapeDataString(new string('a', 2000)),
        "Bad_Name",
        "%20",
    ];

    /// <summary>The routes LocalHost maps (src/Serverless.LocalHost/Api/*.cs), each with its corpus; a route missing here fails <see cref="Every_mapped_route_is_in_the_corpus"/>.</summary>
    private static readonly Dictionary<string, Func<IEnumerable<BadRequest>>> Corpus = new(StringComparer.Ordinal)
    {
        ["PUT /api/stacks/{stack}"] = () => Json("PUT", $"/api/stacks/{Stack}",
                wrongTypes: """{"repository":42,"environments":"prod","production":{"approvers":1}}""",
                oddUnicode: """{"repository":"file:///tmp/\u202Egpj.exe","environments":[{"name":"prod\u200B","kind":"\uD83D\uDE00"}]}""",
                traversal: """{"repository":"file:///../../etc/passwd","environments":[{"name":"../../etc","kind":"production","resourceGroup":"../.."}]}""")
            .Concat(Names("PUT", n => $"/api/stacks/{n}", """{"repository":"https://git.example/x.git","environments":[{"name":"prod","kind":"production","subscription":"22222222-2222-2222-2222-222222222222","resourceGroup":"rg-x","location":"westeurope"}],"production":{"approvers":{"users":["alice"]}}}""")),
        ["GET /api/stacks/{stack}"] = () => Names("GET", n => $"/api/stacks/{n}"),
        ["POST /api/stacks/{stack}/validate"] = () => Queries($"/api/stacks/{Stack}/validate", "POST", "commit")
            .Append(new BadRequest("no commit", "POST", $"/api/stacks/{Stack}/validate"))
            .Append(new BadRequest("unknown stack", "POST", "/api/stacks/no-such-stack/validate?commit=abcdef1"))
            .Concat(Names("POST", n => $"/api/stacks/{n}/validate?commit=abcdef1")),
        // A well-formed rollback of a stack with two releases would start a run, so the bodies go to a stack that does not exist.
        ["POST /api/stacks/{stack}/rollback"] = () => Json("POST", "/api/stacks/no-such-stack/rollback",
                wrongTypes: """{"environment":5}""",
                oddUnicode: """{"environment":"qa\u200B\u202E"}""",
                traversal: """{"environment":"../../etc"}""")
            .Concat(Names("POST", n => $"/api/stacks/{n}/rollback", """{"environment":"qa"}""")),
        ["GET /api/estate"] = () => Queries("/api/estate", "GET", "stack")
            .Append(new BadRequest("unknown stack", "GET", "/api/estate?stack=no-such-stack")),
        ["POST /api/stacks/{stack}/runs"] = () => Json("POST", $"/api/stacks/{Stack}/runs",
                wrongTypes: """{"commit":12345678,"committedAt":"yesterday"}""",
                oddUnicode: """{"commit":"abc\u202Edef1234"}""",
                traversal: """{"commit":"../../../../etc/passwd"}""")
            .Concat(Names("POST", n => $"/api/stacks/{n}/runs", """{"commit":"abcdef1"}""")),
        ["GET /api/runs"] = () => Queries("/api/runs", "GET", "stack", "status", "take")
            .Append(new BadRequest("take too large", "GET", "/api/runs?take=100000"))
            .Append(new BadRequest("take negative", "GET", "/api/runs?take=-1"))
            .Append(new BadRequest("status as number", "GET", "/api/runs?status=3")),
        ["GET /api/runs/{id}"] = () => Names("GET", n => $"/api/runs/{n}").Append(new BadRequest("unknown run", "GET", $"/api/runs/{NoRun}")),
        ["POST /api/runs/{id}/approval"] = () => Json("POST", $"/api/runs/{NoRun}/approval",
                wrongTypes: """{"decision":true,"by":["bob"]}""",
                oddUnicode: """{"decision":"approve\u200B","by":"\u202Ebob"}""",
                traversal: """{"decision":"../approve","by":"../../root"}""")
            .Concat(Names("POST", n => $"/api/runs/{n}/approval", """{"decision":"approve","by":"bob"}""")),
        ["GET /api/runs/{id}/approvals"] = () => Names("GET", n => $"/api/runs/{n}/approvals"),
        ["POST /api/runs/{id}/approvals/links"] = () => Names("POST", n => $"/api/runs/{n}/approvals/links")
            .Append(new BadRequest("unknown run", "POST", $"/api/runs/{NoRun}/approvals/links"))
            .Append(new BadRequest("a body it does not take", "POST", $"/api/runs/{NoRun}/approvals/links", Body("""{"gate":"../../etc"}""", "application/json"))),
        ["GET /api/approvals/{token}"] = () => Names("GET", n => $"/api/approvals/{n}")
            .Append(new BadRequest("forged token", "GET", "/api/approvals/v1.eyJydW4iOiJkcmlsbCJ9.AAAA")),
        ["POST /api/approvals/{token}"] = () => Names("POST", n => $"/api/approvals/{n}", form: "name=bob")
            .Append(new BadRequest("forged token", "POST", "/api/approvals/v1.eyJydW4iOiJkcmlsbCJ9.AAAA", Form("name=bob")))
            .Append(new BadRequest("JSON instead of a form", "POST", "/api/approvals/v1.x.y", Body("""{"name":"bob"}""", "application/json")))
            .Append(new BadRequest("form over the limit", "POST", "/api/approvals/v1.x.y", Form("name=" + new string('x', 1_200_000))))
            .Append(new BadRequest("text/plain", "POST", "/api/approvals/v1.x.y", Body("name=bob", "text/plain")))
            .Append(new BadRequest("NUL and RTL in the name", "POST", "/api/approvals/v1.x.y", Form("name=%00%E2%80%AEbob"))),
        ["GET /api/metrics"] = () => Queries("/api/metrics", "GET", "stack", "from", "to")
            .Append(new BadRequest("to before from", "GET", "/api/metrics?from=2026-02-01&to=2026-01-01"))
            .Append(new BadRequest("window too long", "GET", "/api/metrics?from=2020-01-01&to=2026-01-01"))
            .Append(new BadRequest("year out of range", "GET", "/api/metrics?from=1601-01-01"))
            .Append(new BadRequest("unknown stack", "GET", "/api/metrics?stack=no-such-stack")),
        ["POST /api/incidents"] = () => Json("POST", "/api/incidents",
            wrongTypes: """{"stack":1,"environment":{},"openedAt":"yesterday","title":5}""",
            oddUnicode: """{"stack":"drill\u200B","environment":"\uD83D\uDE00","openedAt":"2026-01-01T00:00:00Z","title":"\u202Eoops\u0000"}""",
            traversal: """{"stack":"../../etc","environment":"..","openedAt":"2026-01-01T00:00:00Z","title":"x"}"""),
        ["POST /api/incidents/azure-monitor"] = () => Json("POST", "/api/incidents/azure-monitor",
            wrongTypes: """{"schemaId":5,"data":"x"}""",
            oddUnicode: """{"schemaId":"azureMonitorCommonAlertSchema\u200B","data":{"essentials":{"alertId":"\u202E","monitorCondition":"Fired\u0000"}}}""",
            traversal: """{"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":{"alertId":"../../etc"},"customProperties":{"stack":"../..","environment":".."}}}"""),
        ["GET /api/incidents/{id}"] = () => Names("GET", n => $"/api/incidents/{n}").Append(new BadRequest("unknown incident", "GET", $"/api/incidents/{NoIncident}")),
        ["PATCH /api/incidents/{id}"] = () => Json("PATCH", $"/api/incidents/{NoIncident}",
                wrongTypes: """{"resolvedAt":"not a time"}""",
                oddUnicode: """{"resolvedAt":"2026-01-01T00:00:00Z\u200B"}""",
                traversal: """{"resolvedAt":"../../etc"}""")
            .Concat(Names("PATCH", n => $"/api/incidents/{n}", """{"resolvedAt":"2026-01-01T00:00:00Z"}""")),
        ["POST /api/events/eventgrid"] = () =>
            Json("POST", $"/api/events/eventgrid?secret={FaultDrillFixture.EventGridSecret}",
                wrongTypes: """[{"id":1,"eventType":["x"],"subject":{},"data":"x","eventTime":"yesterday","dataVersion":2}]""",
                oddUnicode: """[{"id":"\u202E\u0000","subject":"\u200B","data":{"validationCode":"\uD83D\uDE00"},"eventTime":"2026-01-01T00:00:00Z"}]""",
                traversal: """{"specversion":"1.0","id":"../..","source":"../../etc","type":"Serverless.Pipeline.RepositoryPush","data":{"repository":"file:///../../etc","ref":"refs/heads/../../passwd","after":"../../passwd"}}""")
            .Append(new BadRequest("no secret", "POST", "/api/events/eventgrid", Body("[]", "application/json")))
            .Append(new BadRequest("wrong secret", "POST", "/api/events/eventgrid?secret=..%2F..%2Fetc", Body("[]", "application/json")))
            .Append(new BadRequest("secret with NUL", "POST", $"/api/events/eventgrid?secret={FaultDrillFixture.EventGridSecret}%00", Body("[]", "application/json"))),
        ["OPTIONS /api/events/eventgrid"] = () =>
        [
            new BadRequest("no secret", "OPTIONS", "/api/events/eventgrid", Headers: [("WebHook-Request-Origin", "eventgrid.azure.net")]),
            new BadRequest("wrong secret", "OPTIONS", "/api/events/eventgrid?secret=x", Headers: [("WebHook-Request-Origin", "eventgrid.azure.net")]),
            new BadRequest("no WebHook-Request-Origin header", "OPTIONS", $"/api/events/eventgrid?secret={FaultDrillFixture.EventGridSecret}"),
            new BadRequest("empty WebHook-Request-Origin header", "OPTIONS", $"/api/events/eventgrid?secret={FaultDrillFixture.EventGridSecret}", Headers: [("WebHook-Request-Origin", " ")]),
        ],
        ["POST /api/events/github"] = GitHubCorpus,
        ["GET /api/stacks"] = () => Noise("/api/stacks"),
        ["GET /healthz"] = () => Noise("/healthz"),
        ["GET /"] = () => Noise("/"),
    };

    /// <summary>Routes that take no input at all: the corpus can only be ignored there, so they must give their usual answer and stay well.</summary>
    private static readonly Dictionary<string, HttpStatusCode> NoInput = new(StringComparer.Ordinal)
    {
        ["GET /api/stacks"] = HttpStatusCode.OK,
        ["GET /healthz"] = HttpStatusCode.OK,
        ["GET /"] = HttpStatusCode.Redirect,
    };

    public static TheoryData<string> CorpusRoutes => [.. Corpus.Keys];

    [Theory]
    [MemberData(nameof(CorpusRoutes))]
    public async Task Bad_input_is_refused_with_a_4xx_problem_the_host_stays_up_and_nothing_is_written(string route)
    {
        var before = await drill.RowCountsAsync();
        var wrong = new List<string>();

        foreach (var bad in Corpus[route]())
        {
            using var request = bad.ToMessage();
            using var response = await drill.RawClient.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var type = response.Content.Headers.ContentType?.MediaType;
            var ok = NoInput.TryGetValue(route, out var usual)
                ? response.StatusCode == usual
                : bad.RefusedByServer
                    ? response.StatusCode == HttpStatusCode.BadRequest && body.Length == 0
                    : (int)response.StatusCode is >= 400 and < 500 && type == "application/problem+json" && IsProblem(body, (int)response.StatusCode)
                      || route == EventGridRoute && EveryEventIgnored(response.StatusCode, body);
            if (!ok) wrong.Add($"{bad.Method} {Shorten(bad.Path)} [{bad.Name}] → {(int)response.StatusCode} {type}: {Shorten(body)}");
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} answers of {route} were not 4xx problems:\n{string.Join("\n", wrong)}");
        Assert.False(drill.Host.Process.HasExited, drill.Host.Process.Output);
        Assert.Equal(HttpStatusCode.OK, (await drill.Client.GetAsync("/healthz")).StatusCode);
        // An Event Grid batch is acted on event by event: a bad event is answered Ignored and recorded as such, never lost.
        Assert.Equal(Without(before, route), Without(await drill.RowCountsAsync(), route));
    }

    private const string EventGridRoute = "POST /api/events/eventgrid";

    private static bool EveryEventIgnored(HttpStatusCode status, string body) =>
        status == HttpStatusCode.OK && JsonNode.Parse(body)?["events"] is JsonArray events && events.Count > 0
        && events.All(e => (string?)e?["outcome"] == "Ignored" && !string.IsNullOrEmpty((string?)e["reason"]));

    private static IReadOnlyDictionary<string, int> Without(IReadOnlyDictionary<string, int> counts, string route) =>
        route == EventGridRoute ? counts.Where(c => !c.Key.EndsWith("ignoredevents", StringComparison.Ordinal)).ToDictionary() : counts;

    [Fact]
    public void Every_mapped_route_is_in_the_corpus()
    {
        var mapped = MappedRoutes();

        Assert.True(mapped.Count >= 10, $"Only {mapped.Count} routes are in LocalHost's part of the access policy: {string.Join(", ", mapped)}");
        Assert.Empty(mapped.Except(Corpus.Keys));
    }

    /// <summary>
    /// The routes LocalHost maps: its rows of the access policy, which is built from the declared endpoints (a test of
    /// AccessControlTests checks that LocalHost maps exactly those). The dashboard's static files and the Admin-only
    /// route diagnostic (off by default) take no input beyond their path.
    /// </summary>
    private static List<string> MappedRoutes() =>
    [
        .. AccessPolicy.All
            .Where(r => r.Hosts.HasFlag(RouteHosts.LocalHost) && r.Template != AccessPolicy.RouteTableDiagnostic && !r.Template.StartsWith("/dashboard/", StringComparison.Ordinal))
            .Select(r => $"{r.Method} {r.Template}"),
    ];

    private static IEnumerable<BadRequest> GitHubCorpus()
    {
        const string path = "/api/events/github";
        var push = new[] { ("X-GitHub-Event", "push") };
        BadRequest Signed(string name, string body, string contentType = "application/json", (string, string)[]? headers = null) =>
            new(name, "POST", path, Body(body, contentType), [.. headers ?? push, ("X-Hub-Signature-256", Sign(body))]);

        yield return new BadRequest("no signature", "POST", path, Body("{}", "application/json"), push);
        yield return new BadRequest("wrong signature", "POST", path, Body("{}", "application/json"), [.. push, ("X-Hub-Signature-256", "sha256=" + new string('0', 64))]);
        yield return new BadRequest("signature not hex", "POST", path, Body("{}", "application/json"), [.. push, ("X-Hub-Signature-256", "sha256=../../etc")]);
        yield return Signed("no X-GitHub-Event header", "{}", headers: []);
        yield return Signed("malformed JSON", """{"ref": """);
        yield return Signed("wrong types", """{"ref":42,"after":["x"],"repository":"contoso/x","commits":{}}""");
        yield return Signed("odd unicode", """{"ref":"refs/heads/main\u202E","after":"\u200Babcdef1","repository":{"full_name":"\uD83D\uDE00/\u0000","clone_url":"file:///\u202E"}}""");
        yield return Signed("path traversal", """{"ref":"refs/heads/../../etc","after":"../../passwd","repository":{"full_name":"../..","clone_url":"file:///../../etc"}}""");
        yield return Signed("empty object", "{}");
        yield return Signed("top-level array", "[]");
        yield return Signed("text/plain", "{}", "text/plain");
        yield return Signed("xml", "<push/>", "application/xml");
        yield return new BadRequest("body over 1 MB", "POST", path, Body(Huge(), "application/json"), push);
    }

    private static IEnumerable<BadRequest> Json(string method, string path, string wrongTypes, string oddUnicode, string traversal)
    {
        yield return new("malformed JSON", method, path, Body("""{"commit": """, "application/json"));
        yield return new("single quotes", method, path, Body("{'a': 'b'}", "application/json"));
        yield return new("two documents", method, path, Body("{} {}", "application/json"));
        yield return new("not JSON", method, path, Body("commit=abcdef1", "application/json"));
        yield return new("top-level array", method, path, Body("[]", "application/json"));
        yield return new("top-level string", method, path, Body("\"x\"", "application/json"));
        yield return new("top-level null", method, path, Body("null", "application/json"));
        yield return new("top-level number", method, path, Body("42", "application/json"));
        yield return new("empty object", method, path, Body("{}", "application/json"));
        yield return new("empty body", method, path, Body("", "application/json"));
        yield return new("wrong types", method, path, Body(wrongTypes, "application/json"));
        yield return new("odd unicode", method, path, Body(oddUnicode, "application/json"));
        yield return new("path traversal", method, path, Body(traversal, "application/json"));
        yield return new("raw RTL, zero-width, emoji", method, path, Body("{\"name\":\"\u202E\u200B\U0001F600\"}", "application/json"));
        yield return new("raw NUL in a string", method, path, Body("{\"x\":\"\0\"}", "application/json"));
        yield return new("invalid UTF-8", method, path, new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        yield return new("nested 1000 deep", method, path, Body(new string('[', 1000) + new string(']', 1000), "application/json"));
        yield return new("body over 1 MB", method, path, Body(Huge(), "application/json"));
        yield return new("no content type, malformed", method, path, new ByteArrayContent(Encoding.UTF8.GetBytes("{\"x\":")));
        yield return new("text/plain", method, path, Body("{}", "text/plain"));
        yield return new("application/xml", method, path, Body("<x/>", "application/xml"));
        yield return new("form", method, path, Form("commit=abcdef1"));
        yield return new("multipart", method, path, new MultipartFormDataContent { { new StringContent("{}"), "body" } });
    }

    private static IEnumerable<BadRequest> Names(string method, Func<string, string> path, string? json = null, string? form = null) =>
        BadNames.Select(name => new BadRequest($"name {Shorten(name, 24)}", method, path(name),
            json is not null ? Body(json, "application/json") : form is not null ? Form(form) : null));

    private static IEnumerable<BadRequest> Queries(string path, string method, params string[] keys) =>
        keys.SelectMany(key => BadNames.Select(value => new BadRequest($"?{key}={Shorten(value, 24)}", method, $"{path}?{key}={value}")));

    private static IEnumerable<BadRequest> Noise(string path) =>
    [
        new("unknown query", "GET", $"{path}?x=..%2F..%2Fetc&y=%00&z={Uri.EscapeDataString("\u202E\u200B\U0001F600")}"),
        new("body on a GET", "GET", path, Body("{\"x\":", "application/json")),
    ];

    private static StringContent Body(string text, string contentType) => new(text, new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" });

    private static StringContent Form(string text) => new(text, new MediaTypeHeaderValue("application/x-www-form-urlencoded"));

    private static string Huge() => $$"""{"commit":"abcdef1","message":"{{new string('x', 1_100_000)}}"}""";

    private static string Sign(string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(FaultDrillFixture.GitHubSecret), Encoding.UTF8.GetBytes(body)));

    private static bool IsProblem(string body, int status)
    {
        try
        {
            var problem = JsonNode.Parse(body);
            return (int?)problem?["status"] == status && !string.IsNullOrWhiteSpace((string?)problem["title"]);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text, int length = 160) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>One request of the corpus; its content is made anew for each send.</summary>
    public sealed record BadRequest(string Name, string Method, string Path, HttpContent? Content = null, (string Name, string Value)[]? Headers = null)
    {
        /// <summary>
        /// A NUL in the path: Kestrel refuses the request line itself (400, no body) before any middleware runs, so no
        /// problem details can be written; the app never sees the request.
        /// </summary>
        public bool RefusedByServer => Path.Split('?')[0].Contains("%00", StringComparison.Ordinal);

        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Path) { Content = Content };
            foreach (var (name, value) in Headers ?? []) message.Headers.TryAddWithoutValidation(name, value);
            return message;
        }
    }
}
