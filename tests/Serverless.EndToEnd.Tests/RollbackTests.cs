namespace Serverless.EndToEnd.Tests;

/// <summary>POST /api/stacks/{stack}/rollback: the previous release's artifact, delivered again through the same path.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class RollbackTests(LocalHostFixture app)
{
    private const string Stack = "sample-network";

    [Fact]
    public async Task A_rollback_redelivers_the_previous_release_everywhere_and_marks_the_newest_as_remediated()
    {
        var good = await ReleaseAsync(app.NewCommit("good change"));
        var bad = await ReleaseAsync(app.NewCommit("bad change"));
        Assert.NotEqual((string)good["artifactVersion"]!, (string)bad["artifactVersion"]!);

        var rolledBackBefore = await RolledBackAsync();
        var response = await app.Client.PostAsync($"/api/stacks/{Stack}/rollback", null);
        var started = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((string)good["artifactVersion"]!, (string)started!["version"]!);
        Assert.Equal((string)bad["id"]!, (string)started["replaces"]!);
        var id = (string)started["id"]!;
        Assert.StartsWith($"{(string)good["id"]!}.rollback-", id);

        var run = await app.Runs.FinishAsync(id);
        Assert.Equal("Completed", (string)run["status"]!);
        Assert.Equal("rollback", (string)run["changeType"]!);
        Assert.Equal((string)good["artifactVersion"]!, (string)run["artifactVersion"]!);
        var estate = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/estate?stack={Stack}"))!["stacks"]!.AsArray().Single()!;
        var production = estate["environments"]!.AsArray().Where(e => ((string)e!["environment"]!).StartsWith("prod-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(production);
        Assert.All(production, e => Assert.Equal((string)good["artifactVersion"]!, (string?)e!["version"]));

        // The run's record is written before its metrics are, so the remediation of the bad release follows shortly after.
        await Poll.UntilAsync(RolledBackAsync, count => count == rolledBackBefore + 1, TimeSpan.FromSeconds(60),
            count => $"The metrics count {count} rolled-back releases, not {rolledBackBefore + 1}.");
    }

    [Fact]
    public async Task A_rollback_of_one_test_environment_touches_only_it_and_needs_no_approval()
    {
        await ReleaseAsync(app.NewCommit("first for staging"));
        await ReleaseAsync(app.NewCommit("second for staging"));

        var response = await app.Client.PostAsJsonAsync($"/api/stacks/{Stack}/rollback", new { environment = "staging" });
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var run = await app.Runs.WaitForStatusAsync(id, "Completed", TimeSpan.FromMinutes(2));

        Assert.Equal(["staging"], run["deployments"]!.AsArray().Select(d => (string)d!["environment"]!));
        Assert.Equal("Skipped", (string)run["stages"]!.AsArray().Single(s => (string)s!["name"]! == "approval")!["status"]!);
    }

    [Theory]
    [InlineData("/api/stacks/no-such-stack/rollback", "{}", HttpStatusCode.NotFound)]
    [InlineData("/api/stacks/sample-network/rollback", """{"environment":"Not Valid"}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/stacks/sample-network/rollback", """{"environment":""", HttpStatusCode.BadRequest)]
    public async Task Bad_rollback_requests_are_refused_with_problem_details(string path, string body, HttpStatusCode expected)
    {
        var response = await app.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Releases of the stack that a rollback remediated, as the delivery metrics count them.</summary>
    private async Task<long> RolledBackAsync() =>
        (long)(await app.Client.GetFromJsonAsync<JsonObject>($"/api/metrics?stack={Stack}"))!["stacks"]!.AsArray().Single()!["changeFailureRate"]!["rolledBack"]!;

    private async Task<JsonObject> ReleaseAsync(string commit) =>
        await app.Runs.FinishAsync((string)(await app.StartRunAsync(Stack, commit))["id"]!);
}
