using System.Globalization;

namespace Serverless.EndToEnd.Tests;

/// <summary>Deployments through LocalHost to the ARM stand-in: faults, failures and concurrent runs.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class DeploymentTests(LocalHostFixture app)
{
    private const string Stack = "sample-network";

    [Fact]
    public async Task Injected_throttling_is_retried_and_the_run_succeeds()
    {
        using var arm = app.Host.Arm!.CreateClient();
        await arm.DeleteAsync("/_localarm/faults");
        (await arm.PostAsJsonAsync("/_localarm/faults", new[]
        {
            new { kind = "Throttle", count = 3, pathContains = "/deployments/", method = "PUT", retryAfterSeconds = 1 },
            new { kind = "ServerError", count = 1, pathContains = "/deployments/", method = "PUT", retryAfterSeconds = 1 },
        })).EnsureSuccessStatusCode();
        try
        {
            var run = await RunToTheEndAsync(app.NewCommit("throttled change"), approve: true);

            Assert.Equal("Completed", (string)run["status"]!);
            var faults = await arm.GetFromJsonAsync<JsonArray>("/_localarm/faults");
            Assert.All(faults!, f => Assert.True((int)f!["fired"]! >= 1, f.ToJsonString())); // Every fault was met and got over.
        }
        finally
        {
            await arm.DeleteAsync("/_localarm/faults");
        }
    }

    [Fact]
    public async Task A_permanent_deployment_failure_stops_the_run_before_production_with_ARMs_reason()
    {
        using var arm = app.Host.Arm!.CreateClient();
        (await arm.PostAsJsonAsync("/_localarm/faults", new { kind = "FailResource", resourceName = "vnet-sample-network-staging", message = "Subnet quota exceeded" }))
            .EnsureSuccessStatusCode();
        try
        {
            var run = await RunToTheEndAsync(app.NewCommit("change that staging refuses"), approve: false);

            Assert.Equal("Failed", (string)run["status"]!);
            Assert.Contains("staging", (string)run["reason"]!);
            Assert.Contains("vnet-sample-network-staging", (string)run["reason"]!);
            var stages = run["stages"]!.AsArray();
            Assert.Equal("Failed", (string)stages.Single(s => (string)s!["name"]! == "staging")!["status"]!);
            Assert.All(stages.Where(s => (string)s!["kind"]! is "Production" or "Approval"), s => Assert.Equal("Skipped", (string)s!["status"]!));
        }
        finally
        {
            await arm.DeleteAsync("/_localarm/faults");
        }
    }

    [Fact]
    public async Task Twenty_concurrent_runs_of_one_stack_never_overlap_on_any_environment()
    {
        var commits = Enumerable.Range(1, 20).Select(i => app.NewCommit($"concurrent change {i}")).ToList();
        var ids = await Task.WhenAll(commits.Select(async commit => (string)(await app.StartRunAsync(Stack, commit))["id"]!));

        // Approve whatever waits until every run has ended: newer runs supersede older ones still waiting.
        var runs = new RunWaiter(app.Client, () => app.Host.Process.Output, interval: TimeSpan.FromSeconds(2));
        var finished = (await Task.WhenAll(ids.Select(id => runs.FinishAsync(id, timeout: TimeSpan.FromMinutes(5))))).ToDictionary(r => (string)r["id"]!);

        Assert.Equal(ids.Length, finished.Count);
        Assert.DoesNotContain(finished.Values, r => (string)r["status"]! is "Failed" or "Rejected");
        Assert.Contains(finished.Values, r => (string)r["status"]! == "Completed");
        var deployments = finished.Values.SelectMany(r => r["deployments"]!.AsArray().Select(d => (Run: (string)r["id"]!, Environment: (string)d!["environment"]!,
            StartedAt: DateTimeOffset.Parse((string)d["startedAt"]!, CultureInfo.InvariantCulture), FinishedAt: DateTimeOffset.Parse((string)d["finishedAt"]!, CultureInfo.InvariantCulture)))).ToList();
        Assert.NotEmpty(deployments);
        foreach (var environment in deployments.Where(d => d.Environment != "dev").GroupBy(d => d.Environment))
        {
            var intervals = environment.OrderBy(d => d.StartedAt).ToList();
            for (var i = 1; i < intervals.Count; i++)
            {
                Assert.True(intervals[i].StartedAt >= intervals[i - 1].FinishedAt,
                    $"{environment.Key}: {intervals[i - 1].Run} and {intervals[i].Run} deployed at the same time");
            }
        }
    }

    private async Task<JsonObject> RunToTheEndAsync(string commit, bool approve) =>
        await app.Runs.FinishAsync((string)(await app.StartRunAsync(Stack, commit))["id"]!, approve);
}
