namespace Serverless.EndToEnd.Tests;

/// <summary>POST /api/stacks/{stack}/validate?commit=: the build's report on a commit, without a run.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ValidateTests(LocalHostFixture app)
{
    [Fact]
    public async Task A_good_commit_validates_and_starts_nothing()
    {
        var commit = app.NewCommit("validate me");

        var response = await app.Client.PostAsync($"/api/stacks/sample-network/validate?commit={commit}", null);
        var report = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)report!["valid"]!, report.ToJsonString());
        Assert.Equal(commit, (string)report["commit"]!);
        Assert.Equal("network", (string)report["changeType"]!);
        Assert.Equal(["main.bicep"], report["changedPaths"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/api/runs/sample-network.{commit}")).StatusCode);
    }

    [Fact]
    public async Task A_broken_commit_reports_every_problem_with_its_line()
    {
        var original = File.ReadAllText(Path.Combine(app.SampleRepository.Directory, "delivery.yaml"));
        var commit = app.SampleRepository.Commit("delivery.yaml",
            _ => original.Replace("production:\n", "approval:\n  minimumApprovals: none\n  timeout: later\n\nproduction:\n", StringComparison.Ordinal), "Break the pipeline");

        var report = await app.Client.PostAsync($"/api/stacks/sample-network/validate?commit={commit}", null)
            .ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonObject>()).Unwrap();

        Assert.False((bool)report!["valid"]!);
        var problems = report["problems"]!.AsArray();
        Assert.Contains(problems, p => (string)p!["field"]! == "approval.minimumApprovals" && (int)p["line"]! > 0);
        Assert.Contains(problems, p => (string)p!["field"]! == "approval.timeout" && (int)p["line"]! > 0);

        // Put the pipeline back for the other tests of this host.
        app.SampleRepository.Commit("delivery.yaml", _ => original, "Mend the pipeline");
    }

    [Fact]
    public async Task A_parameter_outside_the_templates_limit_fails_validation_at_its_line()
    {
        var original = File.ReadAllText(Path.Combine(app.SampleRepository.Directory, "parameters/dev.json"));
        var commit = app.SampleRepository.Commit("parameters/dev.json",
            _ => original.Replace("\"vnet-sample-network-dev\"", "\"v\"", StringComparison.Ordinal), "A one-letter network name");

        var report = await app.Client.PostAsync($"/api/stacks/sample-network/validate?commit={commit}", null)
            .ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonObject>()).Unwrap();

        // Put the parameters back for the other tests of this host.
        app.SampleRepository.Commit("parameters/dev.json", _ => original, "Mend the dev parameters");
        Assert.False((bool)report!["valid"]!);
        var problem = Assert.Single(report["problems"]!.AsArray());
        Assert.Equal(("parameters", "parameters/dev.json", "dev", 8, 5),
            ((string)problem!["source"]!, (string)problem["file"]!, (string)problem["field"]!, (int)problem["line"]!, (int)problem["column"]!));
        Assert.Equal("parameter 'vnetName' has 1 character(s), fewer than its minLength 2: \"v\".", (string)problem["message"]!);
    }

    [Theory]
    [InlineData("/api/stacks/sample-network/validate", HttpStatusCode.BadRequest)]
    [InlineData("/api/stacks/sample-network/validate?commit=nothex!", HttpStatusCode.BadRequest)]
    [InlineData("/api/stacks/sample-network/validate?commit=0123456789abcdef0123456789abcdef01234567", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/api/stacks/no-such-stack/validate?commit=abcdef1", HttpStatusCode.NotFound)]
    public async Task Bad_requests_are_refused_with_problem_details(string path, HttpStatusCode expected)
    {
        var response = await app.Client.PostAsync(path, null);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
