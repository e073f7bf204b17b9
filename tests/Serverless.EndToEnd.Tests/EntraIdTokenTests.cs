using System.Net.Http.Headers;
using Serverless.Pipeline.Security;

namespace Serverless.EndToEnd.Tests;

/// <summary>Azurite, the Entra ID stand-in, and a LocalHost that trusts it, with no API keys (so no local-developer mode).</summary>
public sealed class EntraIdFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;
    public EntraIdStandIn Issuer { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public string WorkDirectory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        Issuer = await EntraIdStandIn.StartAsync();
        WorkDirectory = Directory.CreateTempSubdirectory("pipeline-entra-").FullName;
        var settings = new Dictionary<string, string>(Issuer.HostSettings) { ["Sources:WorkDirectory"] = WorkDirectory };
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings);
    }

    /// <summary>A client that sends the token, if any, as <c>Authorization: Bearer</c>.</summary>
    public HttpClient Client(string? token)
    {
        var client = Host.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed class EntraIdTokenTests(EntraIdFixture fixture) : IClassFixture<EntraIdFixture>
{
    private const string AccessPolicyDenied = "urn:serverless-pipeline:access-policy";

    private EntraIdStandIn Issuer => fixture.Issuer;

    [Fact]
    public async Task A_Reader_token_reads_runs_but_may_not_start_one()
    {
        using var reader = fixture.Client(Issuer.IssueToken(["Reader"]));

        using var runs = await reader.GetAsync("/api/runs");
        using var start = await reader.PostAsJsonAsync("/api/stacks/sample-network/runs", new { commit = "abcdef1" });

        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        await AssertDeniedAsync(start, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Role_values_are_read_without_regard_to_case()
    {
        using var reader = fixture.Client(Issuer.IssueToken(["reader"]));
        using var runs = await reader.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
    }

    [Fact]
    public async Task A_v1_token_for_the_App_ID_URI_is_accepted_and_names_the_caller_by_upn()
    {
        var user = $"dave-{Guid.NewGuid():N}@contoso.example";
        using var reader = fixture.Client(Issuer.IssueV1Token(["Reader"], user));

        using var runs = await reader.GetAsync("/api/runs");
        using var incident = await reader.PostAsJsonAsync("/api/incidents", new { });

        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        await AssertDeniedAsync(incident, HttpStatusCode.Forbidden);
        Assert.Contains($"to {user} (Reader)", await WaitForLineAsync(user), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Operator_token_starts_a_run()
    {
        using var reader = fixture.Client(Issuer.IssueToken(["Reader"]));
        var sample = await reader.GetFromJsonAsync<JsonObject>("/api/stacks/sample-network");
        var commit = StackRepository.FromUrl((string)sample!["repository"]!).CommitTemplateChange("entra e2e change");
        using var @operator = fixture.Client(Issuer.IssueToken(["Operator"]));

        using var start = await @operator.PostAsJsonAsync("/api/stacks/sample-network/runs", new { commit, message = "entra e2e change", author = "ann" });

        Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_Admin_token_registers_a_stack_and_an_Operator_token_may_not()
    {
        var stack = Registrations.Of("entra-net", "https://git.example/platform/entra.git", ["qa"], ["prod-1"]);
        using var @operator = fixture.Client(Issuer.IssueToken(["Operator"]));
        using var admin = fixture.Client(Issuer.IssueToken(["Reader", "Admin"]));

        using var denied = await @operator.PutAsJsonAsync("/api/stacks/entra-registered", stack);
        using var registered = await admin.PutAsJsonAsync("/api/stacks/entra-registered", stack);

        await AssertDeniedAsync(denied, HttpStatusCode.Forbidden);
        Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_token_every_non_anonymous_route_is_401_with_a_Bearer_challenge_and_anonymous_routes_still_answer()
    {
        using var anonymous = fixture.Client(null);
        var guarded = AccessPolicy.All.Where(r => r.Hosts.HasFlag(RouteHosts.LocalHost) && r.Level > AccessLevel.Anonymous && r.Template != AccessPolicy.RouteTableDiagnostic);

        foreach (var row in guarded)
        {
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Template.Replace("{stack}", "sample-network", StringComparison.Ordinal)
                .Replace("{id}", "no-such-id", StringComparison.Ordinal));
            if (row.Method is "POST" or "PUT" or "PATCH") request.Content = JsonContent.Create(new { });
            using var response = await anonymous.SendAsync(request);
            await AssertDeniedAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        using var health = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    public static TheoryData<string> InvalidTokens() => new() { "expired", "wrong audience", "other key", "other tenant", "not a JWT" };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task An_invalid_token_is_401_with_an_invalid_token_challenge_and_never_logged(string flaw)
    {
        using var otherKey = RSA.Create(2048);
        var token = flaw switch
        {
            "expired" => Issuer.IssueToken(["Admin"], expires: DateTimeOffset.UtcNow.AddMinutes(-30)),
            "wrong audience" => Issuer.IssueToken(["Admin"], audience: Guid.NewGuid().ToString()),
            "other key" => Issuer.IssueToken(["Admin"], signWith: otherKey),
            "other tenant" => Issuer.IssueToken(["Admin"], tenant: Guid.NewGuid().ToString()),
            _ => "not-a-jwt-" + Guid.NewGuid().ToString("N"),
        };
        using var client = fixture.Client(token);

        using var response = await client.GetAsync("/api/runs");

        await AssertDeniedAsync(response, HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain(token, fixture.Host.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.').Last(), fixture.Host.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_app_roles_is_authenticated_but_forbidden_on_Reader_routes()
    {
        using var client = fixture.Client(Issuer.IssueToken(roles: null));
        using var unknownRole = fixture.Client(Issuer.IssueToken(["Contributor"]));

        using var response = await client.GetAsync("/api/runs");
        using var unknown = await unknownRole.GetAsync("/api/runs");

        await AssertDeniedAsync(response, HttpStatusCode.Forbidden);
        await AssertDeniedAsync(unknown, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_caller_is_named_by_the_token_where_access_control_records_it()
    {
        var user = $"carol-{Guid.NewGuid():N}@contoso.example";
        using var reader = fixture.Client(Issuer.IssueToken(["Reader"], user));

        using var response = await reader.PostAsJsonAsync("/api/incidents", new { });

        await AssertDeniedAsync(response, HttpStatusCode.Forbidden);
        var line = await WaitForLineAsync(user);
        Assert.Contains($"to {user} (Reader)", line, StringComparison.Ordinal);
    }

    /// <summary>This host also sets AzureAd:Audience, which then is the only audience accepted (not the ClientId).</summary>
    [Fact]
    public async Task With_API_keys_too_a_bearer_token_is_judged_alone_and_a_key_still_works_without_one()
    {
        const string audience = "api://serverless-pipeline-tests";
        var adminKey = "admin-" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string>(Issuer.HostSettings)
        {
            ["AzureAd:Audience"] = audience,
            ["Sources:WorkDirectory"] = fixture.WorkDirectory,
            ["Pipeline:RegisterSampleStack"] = "false",
            ["Storage:NamePrefix"] = "both",
            ["Engine:TaskHub"] = "both",
            ["Security:ApiKeys:admin:Key"] = adminKey,
            ["Security:ApiKeys:admin:Role"] = "Admin",
        };
        await using var host = await LocalHostProcess.StartAsync(fixture.Azurite.ConnectionString, settings);
        using var client = host.CreateClient();

        using var keyOnly = await Send(client, HttpMethod.Get, "/api/stacks", key: adminKey);
        using var adminToken = await Send(client, HttpMethod.Put, "/api/stacks/both-registered", token: Issuer.IssueToken(["Admin"], audience: audience));
        using var keyAndReaderToken = await Send(client, HttpMethod.Put, "/api/stacks/both-registered", adminKey, Issuer.IssueToken(["Reader"], audience: audience));
        using var keyAndBadToken = await Send(client, HttpMethod.Get, "/api/stacks", adminKey, Issuer.IssueToken(["Admin"]));
        using var neither = await Send(client, HttpMethod.Get, "/api/stacks");

        Assert.Equal(HttpStatusCode.OK, keyOnly.StatusCode);
        Assert.True(adminToken.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await adminToken.Content.ReadAsStringAsync());
        await AssertDeniedAsync(keyAndReaderToken, HttpStatusCode.Forbidden);
        await AssertDeniedAsync(keyAndBadToken, HttpStatusCode.Unauthorized);
        await AssertDeniedAsync(neither, HttpStatusCode.Unauthorized);
        Assert.Equal(["ApiKey", "Bearer"], neither.Headers.WwwAuthenticate.Select(c => c.Scheme).Order());
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? key = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == HttpMethod.Put) request.Content = JsonContent.Create(Registrations.Of("both-net", "https://git.example/platform/both.git", production: ["prod-1"]));
        return await client.SendAsync(request);
    }

    private static async Task AssertDeniedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(AccessPolicyDenied, body, StringComparison.Ordinal);
    }

    /// <summary>The host writes its log asynchronously: wait for the line rather than read the output once.</summary>
    private async Task<string> WaitForLineAsync(string text)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var lines = fixture.Host.Process.Output.Split('\n');
            if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The log never named {text}:\n{fixture.Host.Process.Output}");
    }
}
