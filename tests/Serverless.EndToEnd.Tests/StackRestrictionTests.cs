namespace Serverless.EndToEnd.Tests;

/// <summary>A LocalHost with API keys for an admin, two operators and a reader, and the sample stack registered.</summary>
public sealed class StackRestrictionFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, (string Key, string Role)> Keys = new Dictionary<string, (string, string)>
    {
        ["release-admin"] = ("admin-" + Guid.NewGuid().ToString("N"), "Admin"),
        ["deploy-bot"] = ("bot-" + Guid.NewGuid().ToString("N"), "Operator"),
        ["other-operator"] = ("other-" + Guid.NewGuid().ToString("N"), "Operator"),
        ["auditor"] = ("auditor-" + Guid.NewGuid().ToString("N"), "Reader"),
    };

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    private string _workDirectory = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        _workDirectory = Directory.CreateTempSubdirectory("pipeline-restrict-").FullName;
        var settings = new Dictionary<string, string> { ["Sources:WorkDirectory"] = _workDirectory };
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings.With(Keys.Select(k => (k.Key, k.Value.Key, k.Value.Role))));
    }

    public HttpClient Client(string caller) => ApiKeys.Client(Host, Keys[caller].Key, TimeSpan.FromSeconds(30));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A stack that names its operators: only they (and Admins) may start or roll it back; everyone else gets 403 and nothing starts.</summary>
public sealed class StackRestrictionTests(StackRestrictionFixture fixture) : IClassFixture<StackRestrictionFixture>
{
    [Fact]
    public async Task Only_the_named_operators_and_admins_may_start_or_roll_back_a_restricted_stack()
    {
        using var admin = fixture.Client("release-admin");
        var sample = (await admin.GetFromJsonAsync<JsonObject>("/api/stacks/sample-network"))!;
        var registered = await admin.PutAsJsonAsync("/api/stacks/restricted-network",
            Registrations.Of("restricted-network", (string)sample["repository"]!, production: ["prod-restricted"], operators: ["deploy-bot"]));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(["deploy-bot"], (await registered.Content.ReadFromJsonAsync<JsonObject>())!["operators"]!.AsArray().Select(o => (string)o!));

        using var other = fixture.Client("other-operator");
        var refused = await other.PostAsJsonAsync("/api/stacks/restricted-network/runs", new { commit = "0123456789abcdef0123456789abcdef01234567" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'other-operator' may not start stack 'restricted-network'", (string)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!);
        var runs = (await admin.GetFromJsonAsync<JsonArray>("/api/runs?stack=restricted-network"))!;
        Assert.Empty(runs);

        var rollback = await other.PostAsync("/api/stacks/restricted-network/rollback", null);
        Assert.Equal(HttpStatusCode.Forbidden, rollback.StatusCode);

        using var bot = fixture.Client("deploy-bot");
        var started = await bot.PostAsJsonAsync("/api/stacks/restricted-network/runs", new { commit = "0123456789abcdef0123456789abcdef01234567" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = (await bot.GetFromJsonAsync<JsonObject>(started.Headers.Location))!;
        Assert.Equal("deploy-bot", (string)run["requestedBy"]!);   // the run records who asked for it
        // Allowed through to the rollback's own rule: there is no release to roll back yet.
        Assert.Equal(HttpStatusCode.Conflict, (await bot.PostAsync("/api/stacks/restricted-network/rollback", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/stacks/restricted-network/rollback", null)).StatusCode);

        // An unrestricted stack is open to every Operator; a Reader is stopped by the route's role before any stack rule.
        Assert.Equal(HttpStatusCode.Conflict, (await other.PostAsync("/api/stacks/sample-network/rollback", null)).StatusCode);
        using var auditor = fixture.Client("auditor");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/stacks/restricted-network/runs", new { commit = "0123456789abcdef0123456789abcdef01234567" })).StatusCode);
    }

    [Fact]
    public async Task A_registration_with_an_empty_operator_list_is_refused_and_changes_nothing()
    {
        using var admin = fixture.Client("release-admin");

        var response = await admin.PutAsJsonAsync("/api/stacks/empty-operators",
            Registrations.Of("empty-operators", "https://git.example/x.git", operators: []));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("operators", (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/stacks/empty-operators")).StatusCode);
    }
}
