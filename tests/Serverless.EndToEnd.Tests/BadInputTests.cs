namespace Serverless.EndToEnd.Tests;

/// <summary>Bad input gets a clear problem-details answer and changes nothing.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class BadInputTests(LocalHostFixture app)
{
    public static TheoryData<string, string, string?, HttpStatusCode, string> Requests => new()
    {
        { "POST", "/api/stacks/no-such-stack/runs", """{"commit":"abcdef1"}""", HttpStatusCode.NotFound, "no-such-stack" },
        { "POST", "/api/stacks/sample-network/runs", """{"commit":"abcdef1" """, HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", "/api/stacks/sample-network/runs", """{"message":"no commit"}""", HttpStatusCode.BadRequest, "commit is required" },
        { "POST", "/api/stacks/sample-network/runs", """{"commit":"xyz"}""", HttpStatusCode.BadRequest, "7 to 40 hexadecimal" },
        { "POST", "/api/stacks/sample-network/runs", """{"commit":"abcdef1234567890abcdef1234567890abcdef1234"}""", HttpStatusCode.BadRequest, "7 to 40 hexadecimal" },
        { "POST", "/api/stacks/sample-network/runs", """{"commit":12345678}""", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", "/api/stacks/sample-network/runs", """{"commit":"abcdef1","surprise":true}""", HttpStatusCode.BadRequest, "surprise" },
        { "POST", "/api/stacks/sample-network/runs", "", HttpStatusCode.BadRequest, "JSON body is required" },
        { "GET", "/api/runs/sample-network.0000000", null, HttpStatusCode.NotFound, "no run" },
        { "GET", "/api/runs/not-a-run-id", null, HttpStatusCode.NotFound, "no run" },
        { "GET", "/api/runs?status=Sideways", null, HttpStatusCode.BadRequest, "Sideways" },
        { "GET", "/api/runs?stack=Bad_Name", null, HttpStatusCode.BadRequest, "Bad_Name" },
        { "GET", "/api/runs?take=100000", null, HttpStatusCode.BadRequest, "take" },
        { "POST", "/api/runs/sample-network.0000000/approval", """{"decision":"approve","by":"bob"}""", HttpStatusCode.NotFound, "no run" },
        { "POST", "/api/runs/sample-network.0000000/approval", """{"decision":"maybe","by":"bob"}""", HttpStatusCode.BadRequest, "approve" },
        { "POST", "/api/runs/sample-network.0000000/approval", """{"decision":"approve","by":""}""", HttpStatusCode.BadRequest, "decide as yourself" },
        { "PUT", "/api/stacks/Bad_Name", """{"repository":"https://git.example/x.git","productionInstances":["prod"]}""", HttpStatusCode.BadRequest, "Bad_Name" },
        { "PUT", "/api/stacks/new-stack", """{"repository":"ftp://x","environments":[],"production":null}""", HttpStatusCode.UnprocessableEntity, "repository" },
        { "PUT", "/api/stacks/new-stack", """{"repository":"https://git.example/x.git","productionInstances":["prod"]}""", HttpStatusCode.BadRequest, "productionInstances" },
        { "GET", "/api/stacks/no-such-stack", null, HttpStatusCode.NotFound, "no-such-stack" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Is_refused_with_problem_details_and_writes_nothing(string method, string path, string? body, HttpStatusCode expected, string mention)
    {
        var stacksBefore = await app.Storage.RowCountAsync("stacks");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((int)expected, (int)problem!["status"]!);
        Assert.Contains(mention, (string)problem["detail"]!, StringComparison.OrdinalIgnoreCase);
        // Nothing was started: the commit these requests name never became a run.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/runs/sample-network.abcdef1")).StatusCode);
        Assert.Null(await app.Storage.RowAsync("runs", "sample-network", "abcdef1"));
        Assert.Equal(stacksBefore, await app.Storage.RowCountAsync("stacks"));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        var huge = new StringContent($$"""{"commit":"abcdef1","message":"{{new string('x', 200_000)}}"}""", Encoding.UTF8, "application/json");

        var response = await app.Client.PostAsync("/api/stacks/sample-network/runs", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_stack_can_be_registered_and_read_back()
    {
        var response = await app.Client.PutAsJsonAsync("/api/stacks/e2e-registered",
            Registrations.Of("e2e-registered", "https://git.example/platform/e2e.git", ["qa"], ["prod-1", "prod-2"], timeoutMinutes: 30));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var stack = await app.Client.GetFromJsonAsync<JsonObject>("/api/stacks/e2e-registered");

        Assert.Equal(["qa", "prod-1", "prod-2"], stack!["environments"]!.AsArray().Select(e => (string)e!["name"]!));
        Assert.Equal(["test", "production", "production"], stack["environments"]!.AsArray().Select(e => (string)e!["kind"]!));
        Assert.Equal("rg-e2e-registered-prod-2", (string)stack["environments"]![2]!["resourceGroup"]!);
        Assert.Equal(30, (int)stack["production"]!["timeoutMinutes"]!);
        Assert.Equal("main", (string)stack["production"]!["branch"]!);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PutAsJsonAsync("/api/stacks/e2e-registered",
            Registrations.Of("e2e-registered", "https://git.example/platform/e2e.git", production: ["prod-1"]))).StatusCode);
    }
}
