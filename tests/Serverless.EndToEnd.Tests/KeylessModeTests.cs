using Serverless.Pipeline.Runs;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// A LocalHost without API keys or Entra ID treats every caller as Admin: what a web page in the developer's browser
/// could make it do. Each attack sends what such a page can send without a CORS preflight; none may change anything.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class KeylessModeTests(LocalHostFixture app)
{
    private const string Stack = "sample-network";
    private const string Attacker = "http://attacker.example";
    private const string NoRun = "sample-network.0123456789ab";

    [Fact]
    public async Task A_body_sent_as_text_plain_charset_json_is_refused_with_415_and_starts_nothing()
    {
        var commit = app.NewCommit("sent by another site's page");

        using var response = await SendAsync(HttpMethod.Post, $"/api/stacks/{Stack}/runs", Body(new { commit }, "text/plain;charset=json"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNoRunAsync(commit);
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_refused_with_415_and_starts_nothing()
    {
        var commit = app.NewCommit("sent without a content type");
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(new JsonObject { ["commit"] = commit }.ToJsonString()));

        using var response = await SendAsync(HttpMethod.Post, $"/api/stacks/{Stack}/runs", body);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNoRunAsync(commit);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:80")]
    [InlineData("127.0.0.1.attacker.example")]
    [InlineData("localhost.attacker.example")]
    public async Task A_request_that_names_another_host_is_refused_so_DNS_rebinding_reads_nothing(string host)
    {
        using var read = await SendAsync(HttpMethod.Get, "/api/stacks", host: host);
        var body = await AssertProblemAsync(read, HttpStatusCode.MisdirectedRequest);
        Assert.DoesNotContain(Stack, body, StringComparison.Ordinal);

        var commit = app.NewCommit("sent to a rebound name");
        using var write = await SendAsync(HttpMethod.Post, $"/api/stacks/{Stack}/runs", JsonContent.Create(new { commit }), host: host);
        await AssertProblemAsync(write, HttpStatusCode.MisdirectedRequest);
        await AssertNoRunAsync(commit);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task Loopback_names_are_answered_with_any_port(string name)
    {
        foreach (var host in new[] { name, $"{name}:{app.Host.BaseAddress.Port}", $"{name}:1" })
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/stacks", host: host);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Host {host}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData(Attacker, null)]
    [InlineData("http://127.0.0.1:1", null)] // Another loopback port is another origin.
    [InlineData("null", null)] // A sandboxed frame or a redirect hides its origin.
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")] // Another port of 127.0.0.1.
    [InlineData("null", "cross-site")]
    public async Task A_state_change_from_another_origin_is_refused_and_changes_nothing(string? origin, string? fetchSite)
    {
        var commit = app.NewCommit("started from another origin");

        using var response = await SendAsync(HttpMethod.Post, $"/api/stacks/{Stack}/runs", JsonContent.Create(new { commit }), origin: origin, fetchSite: fetchSite);

        var body = await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("another site", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        await AssertNoRunAsync(commit);
    }

    [Fact]
    public async Task A_refused_post_to_an_approval_link_keeps_the_link_s_token_out_of_the_log()
    {
        var token = "v1." + Guid.NewGuid().ToString("N") + ".signature";

        using var response = await SendAsync(HttpMethod.Post, $"/api/approvals/{token}",
            new FormUrlEncodedContent([new("name", "mallory")]), origin: Attacker);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("another site", app.Host.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, app.Host.Process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("own", "same-origin")]
    [InlineData("own", null)] // A browser too old for Sec-Fetch-Site.
    [InlineData("null", "same-origin")] // The approval page's form: a no-referrer page's POST says Origin: null.
    [InlineData(null, "none")] // Typed into the address bar, or opened from a bookmark.
    [InlineData(null, null)] // Not a browser at all: a CLI tool, a webhook's sender.
    public async Task A_request_from_LocalHost_s_own_pages_or_from_no_browser_page_reaches_the_route(string? origin, string? fetchSite)
    {
        if (origin == "own") origin = app.Host.BaseAddress.GetLeftPart(UriPartial.Authority);

        using var response = await SendAsync(HttpMethod.Post, $"/api/runs/{NoRun}/approval", JsonContent.Create(new { decision = "approve", by = "bob" }),
            origin: origin, fetchSite: fetchSite);

        // The route itself answers: there is no such run.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Reads_from_another_origin_are_answered_without_granting_the_page_access()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/stacks", origin: Attacker, fetchSite: "cross-site");

        // A simple GET is answered (a link or an image may make one), but without CORS the page cannot read the answer.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null,
        string? host = null, string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        return await app.Client.SendAsync(request);
    }

    private static StringContent Body(object value, string contentType)
    {
        var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(value));
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private async Task AssertNoRunAsync(string commit)
    {
        using var run = await app.Client.GetAsync($"/api/runs/{RunId.For(Stack, commit)}");
        Assert.True(run.StatusCode == HttpStatusCode.NotFound, $"A run of {commit} exists: {await run.Content.ReadAsStringAsync()}");
    }
}
