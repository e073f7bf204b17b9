using Serverless.Pipeline.Security;

namespace Serverless.EndToEnd.Tests;

/// <summary>Azurite and a LocalHost with three API keys (reader, operator, admin) and its route table exposed.</summary>
public sealed class AccessControlFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["Reader"] = "reader-" + Guid.NewGuid().ToString("N"),
        ["Operator"] = "operator-" + Guid.NewGuid().ToString("N"),
        ["Admin"] = "admin-" + Guid.NewGuid().ToString("N"),
    };

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    private string _workDirectory = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        _workDirectory = Directory.CreateTempSubdirectory("pipeline-access-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = _workDirectory,
            ["Security:ExposeRouteTable"] = "true",
        };
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings.With(Keys.Select(k => (k.Key.ToLowerInvariant(), k.Value, k.Key))));
    }

    /// <summary>A client that does not follow redirects, with the caller's key if any.</summary>
    public HttpClient Client(string? key) => ApiKeys.Client(Host, key, TimeSpan.FromSeconds(30), followRedirects: false);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed class AccessControlTests(AccessControlFixture fixture) : IClassFixture<AccessControlFixture>
{
    private const string WrongKey = "wrong-key-0123456789abcdef";
    private static readonly string[] Callers = ["Anonymous", "Reader", "Operator", "Admin", "Wrong"];

    public static TheoryData<string, string, string> EveryRouteAndCaller() => RoutesAndCallers(_ => true);

    public static TheoryData<string, string, string> EveryStateChangingRouteAndCaller() => RoutesAndCallers(r => ChangesState(r.Method));

    private static TheoryData<string, string, string> RoutesAndCallers(Func<RouteAccess, bool> which)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in AccessPolicy.All.Where(r => r.Hosts.HasFlag(RouteHosts.LocalHost) && which(r)))
            foreach (var caller in Callers)
                data.Add(row.Method, row.Template, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRouteAndCaller))]
    public async Task Every_route_answers_each_caller_as_the_access_policy_says(string method, string template, string caller)
    {
        var row = AccessPolicy.Find(method, template)!;
        using var client = ClientOf(caller);
        using var request = new HttpRequestMessage(new HttpMethod(method), Path(template));
        // Another origin may read nothing (no CORS header); it may change nothing either, whoever calls (the theory below).
        request.Headers.Add("Origin", ChangesState(method) ? fixture.Host.BaseAddress.GetLeftPart(UriPartial.Authority) : ElsewhereOrigin);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var deniedByPolicy = body.Contains(AccessControlDenied, StringComparison.Ordinal);
        var what = $"{caller} {method} {template} → {(int)response.StatusCode}: {body}";

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), what);
        if (row.Level == AccessLevel.Anonymous)
        {
            Assert.False(deniedByPolicy, what);
        }
        else if (caller is "Anonymous" or "Wrong")
        {
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized && deniedByPolicy, what);
            Assert.StartsWith("ApiKey", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        else if (Enum.Parse<AccessLevel>(caller) < row.Level)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden && deniedByPolicy, what);
        }
        else
        {
            Assert.True(response.StatusCode is not HttpStatusCode.Unauthorized and not HttpStatusCode.Forbidden, what);
        }
    }

    /// <summary>With API keys too: a browser page on another origin changes nothing, not even through a route whose own credential it holds.</summary>
    [Theory]
    [MemberData(nameof(EveryStateChangingRouteAndCaller))]
    public async Task Every_state_changing_route_refuses_another_origin_whoever_calls(string method, string template, string caller)
    {
        using var client = ClientOf(caller);
        foreach (var (header, value) in new[] { ("Origin", ElsewhereOrigin), ("Sec-Fetch-Site", "cross-site") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Path(template)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add(header, value);

            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            var what = $"{caller} {method} {template} with {header}: {value} → {(int)response.StatusCode}: {body}";
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden && body.Contains(BrowserRequestRefused, StringComparison.Ordinal), what);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), what);
        }
    }

    [Fact]
    public async Task Every_route_LocalHost_maps_is_in_the_access_policy_and_every_row_is_mapped()
    {
        using var client = fixture.Client(AccessControlFixture.Keys["Admin"]);
        var mapped = (await client.GetFromJsonAsync<JsonArray>(AccessPolicy.RouteTableDiagnostic))!
            .Select(r => (Method: (string)r!["method"]!, Template: (string)r["template"]!, Level: (string?)r["level"])).ToList();

        Assert.DoesNotContain(mapped, r => r.Level is null);
        Assert.Contains(mapped, r => r.Template.StartsWith(AccessPolicy.ApiPrefix, StringComparison.Ordinal));
        var expected = AccessPolicy.All.Where(r => r.Hosts.HasFlag(RouteHosts.LocalHost) && !r.Template.StartsWith("/dashboard/", StringComparison.Ordinal));
        foreach (var row in expected)
            Assert.Contains(mapped, r => r.Method == row.Method && string.Equals(r.Template, row.Template, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The approval links are credentials: a reader may see a run wait, but not obtain the links (the dashboard shows this detail).</summary>
    [Fact]
    public async Task Only_an_operator_obtains_approval_links_and_a_reader_is_told_which_role_it_needs()
    {
        Assert.Contains(EveryRouteAndCaller(), row => (string)row[0] == "POST" && (string)row[1] == AccessPolicy.ApiPrefix + "runs/{id}/approvals/links");

        using var reader = fixture.Client(AccessControlFixture.Keys["Reader"]);
        using var denied = await reader.PostAsync("/api/runs/sample-network.0123456789ab/approvals/links", content: null);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var problem = JsonNode.Parse(await denied.Content.ReadAsStringAsync())!;
        Assert.Contains("needs the role Operator", (string)problem["detail"]!, StringComparison.Ordinal);

        using var operatorClient = fixture.Client(AccessControlFixture.Keys["Operator"]);
        using var unknown = await operatorClient.PostAsync("/api/runs/sample-network.0123456789ab/approvals/links", content: null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(unknown.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_method_that_is_not_in_the_table_is_denied_and_no_preflight_opens_CORS()
    {
        using var admin = fixture.Client(AccessControlFixture.Keys["Admin"]);
        using var delete = await admin.DeleteAsync("/api/stacks/sample-network");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);

        using var anonymous = fixture.Client(null);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/runs");
        preflight.Headers.Add("Origin", ElsewhereOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var answer = await anonymous.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task HTML_answers_carry_a_policy_without_inline_script_and_forbid_framing()
    {
        using var client = fixture.Client(null);
        foreach (var path in new[] { "/dashboard/", "/dashboard/index.html" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Request_bodies_are_limited_per_route()
    {
        using var client = fixture.Client(AccessControlFixture.Keys["Operator"]);

        using var incident = await client.PostAsync("/api/incidents", new StringContent(new string(' ', 100 * 1024), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, incident.StatusCode);

        // Refused from its Content-Length before the handler reads anything.
        Assert.Equal(413, await StatusOfDeclaredBodyAsync("/api/events/github", 25 * 1024 * 1024 + 1));

        // A chunked body (no Content-Length) over the limit is cut off by Kestrel as it is read.
        using var chunked = new StringContent(new string(' ', 100 * 1024), Encoding.UTF8, "application/json");
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = chunked };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var cut = await client.SendAsync(chunkedRequest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, cut.StatusCode);

        using var push = await client.PostAsync("/api/events/github", new StringContent(new string(' ', 200 * 1024), Encoding.UTF8, "application/json"));
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, push.StatusCode);
    }

    [Fact]
    public async Task The_API_keys_never_reach_the_log()
    {
        using var wrong = fixture.Client(WrongKey);
        using var _ = await wrong.GetAsync("/api/runs");
        foreach (var key in AccessControlFixture.Keys.Values.Append(WrongKey))
            Assert.DoesNotContain(key, fixture.Host.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_API_keys_LocalHost_refuses_a_non_loopback_address_in_one_line()
    {
        await using var host = ChildProcess.Start("dotnet",
            [LocalHostProcess.AssemblyPath, "--urls", $"http://0.0.0.0:{FreePort.Next()}", $"--Storage:ConnectionString={fixture.Azurite.ConnectionString}"],
            RepositoryRoot.Path);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, host.ExitCode);
        var line = Assert.Single(host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Refusing to listen on http://0.0.0.0:", line, StringComparison.Ordinal);
    }

    /// <summary>Sends headers that announce a body of the length and only its first byte, and reads the status the host answers with.</summary>
    private async Task<int> StatusOfDeclaredBodyAsync(string path, long length)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fixture.Host.BaseAddress.Host, fixture.Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {fixture.Host.BaseAddress.Authority}\r\nContent-Type: application/json\r\n" +
                   $"X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=00\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var status = await reader.ReadLineAsync(timeout.Token);
        return int.Parse(status!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string AccessControlDenied = "urn:serverless-pipeline:access-policy";
    private const string BrowserRequestRefused = "urn:serverless-pipeline:browser-request";
    private const string ElsewhereOrigin = "https://elsewhere.example";

    private HttpClient ClientOf(string caller) => fixture.Client(caller switch
    {
        "Anonymous" => null,
        "Wrong" => WrongKey,
        _ => AccessControlFixture.Keys[caller],
    });

    private static bool ChangesState(string method) => method is not ("GET" or "HEAD" or "OPTIONS");

    private static string Path(string template) => template
        .Replace("{stack}", "sample-network", StringComparison.Ordinal)
        .Replace("{id}", "no-such-id", StringComparison.Ordinal)
        .Replace("{token}", "not-a-token", StringComparison.Ordinal)
        .Replace("{**path}", "index.html", StringComparison.Ordinal);
}
