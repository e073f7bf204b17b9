namespace Serverless.EndToEnd.Tests;

/// <summary>Whole runs of the sample stack through LocalHost's HTTP API, on the real engine and Azurite.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class FullRunTests(LocalHostFixture app)
{
    private const string Stack = "sample-network";

    [Fact]
    public async Task An_approved_run_reaches_every_production_instance_and_is_recorded()
    {
        var commit = app.NewCommit();
        var started = await app.StartRunAsync(Stack, commit);
        var id = (string)started["id"]!;
        Assert.Equal($"{Stack}.{commit}", id);

        var waiting = await app.Runs.WaitForStatusAsync(id, "AwaitingApproval");
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded", "Running", "Pending", "Pending", "Pending"],
            waiting["stages"]!.AsArray().Select(s => (string)s!["status"]!));

        var decision = await app.Client.PostAsJsonAsync((string)started["approvalUrl"]!, new { decision = "approve", by = "bob@contoso.example", comment = "looks good" });
        Assert.Equal(HttpStatusCode.Accepted, decision.StatusCode);
        var run = await app.Runs.WaitForStatusAsync(id, "Completed");

        var version = (string)run["artifactVersion"]!;
        Assert.Matches("^[0-9a-f]{16}$", version);
        Assert.All(run["stages"]!.AsArray(), s => Assert.Equal("Succeeded", (string)s!["status"]!));
        Assert.All(run["stages"]!.AsArray(), s => Assert.NotNull(s!["workingSeconds"]));

        // The artifact and its manifest are in Blob storage.
        var manifest = JsonNode.Parse(await app.Storage.BlobTextAsync("artifacts", (string)run["manifestBlob"]!))!;
        Assert.Equal(commit, (string)manifest["commit"]!);
        Assert.Equal(version, (string)manifest["version"]!);

        // The run, its stages and its deployments are recorded: the run as the API shows it.
        Assert.Equal(["build", "dev", "staging", "approval", "prod-westeurope", "prod-northeurope", "prod-eastus"],
            run["stages"]!.AsArray().Select(s => (string)s!["name"]!));
        var deployments = run["deployments"]!.AsArray().Select(d => d!.AsObject()).ToList();
        Assert.Equal(["prod-eastus", "prod-northeurope", "prod-westeurope"],
            deployments.Where(d => (string)d["kind"]! == "Production").Select(d => (string)d["environment"]!).Order());
        Assert.All(deployments, d => Assert.Equal(version, (string)d["version"]!));

        // Each environment now runs this version.
        var estate = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/estate?stack={Stack}"))!["stacks"]!.AsArray().Single()!;
        foreach (var env in new[] { "dev", "staging", "prod-westeurope", "prod-northeurope", "prod-eastus" })
            Assert.Contains(estate["environments"]!.AsArray(), e => (string)e!["environment"]! == env && (string?)e["runId"] == id && (string?)e["version"] == version);

        // ARM (the stand-in) received one deployment per environment; the run's ephemeral dev resource group is gone again.
        using var arm = app.Host.Arm!.CreateClient();
        var groups = (await arm.GetFromJsonAsync<JsonObject>("/_localarm/stats"))!["resourceGroups"]!.AsArray();
        foreach (var group in new[] { "rg-sample-network-staging", "rg-sample-network-prod-westeurope", "rg-sample-network-prod-northeurope", "rg-sample-network-prod-eastus" })
            Assert.Contains(groups, g => string.Equals((string)g!["resourceGroup"]!, group, StringComparison.OrdinalIgnoreCase) && (int)g["succeeded"]! >= 1);
        Assert.DoesNotContain(groups, g => ((string)g!["resourceGroup"]!).Contains(commit[..12], StringComparison.OrdinalIgnoreCase));
        Assert.All(deployments, d => Assert.StartsWith("pipe-", (string?)d["deploymentName"] ?? "pipe-"));

        // And the run is listed, newest first.
        var list = await app.Client.GetFromJsonAsync<JsonArray>($"/api/runs?stack={Stack}&status=Completed");
        Assert.Contains(list!, r => (string)r!["id"]! == id);
    }

    [Fact]
    public async Task A_rejected_run_ends_Rejected_and_never_reaches_production()
    {
        var commit = app.NewCommit();
        var id = (string)(await app.StartRunAsync(Stack, commit))["id"]!;
        await app.Runs.WaitForStatusAsync(id, "AwaitingApproval");

        var decision = await app.Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "reject", by = "bob@contoso.example", comment = "wrong window" });
        Assert.Equal(HttpStatusCode.Accepted, decision.StatusCode);
        var run = await app.Runs.WaitForStatusAsync(id, "Rejected");

        Assert.Equal("rejected by bob@contoso.example: wrong window", (string)run["reason"]!);
        Assert.DoesNotContain(run["deployments"]!.AsArray(), d => (string)d!["kind"]! == "Production");
        await app.Runs.WaitForListAsync($"stack={Stack}&status=Rejected", list => list.Any(r => (string)r!["id"]! == id));
    }

    [Fact]
    public async Task Starting_the_same_change_twice_gives_the_same_run()
    {
        var commit = app.NewCommit();
        var first = await app.StartRunAsync(Stack, commit);

        var again = await app.Client.PostAsJsonAsync($"/api/stacks/{Stack}/runs", new { commit = commit.ToUpperInvariant() });
        var body = await again.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((string)first["id"]!, (string)body!["id"]!);
        Assert.True((bool)body["alreadyStarted"]!);
    }

    [Fact]
    public async Task A_decision_on_a_run_that_is_not_waiting_is_a_conflict()
    {
        var commit = app.NewCommit();
        var id = (string)(await app.StartRunAsync(Stack, commit))["id"]!;
        await app.Runs.WaitForStatusAsync(id, "AwaitingApproval");
        await app.Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "approve", by = "bob@contoso.example" });
        await app.Runs.WaitForStatusAsync(id, "Completed");

        var late = await app.Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "reject", by = "alice@contoso.example" });

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("application/problem+json", late.Content.Headers.ContentType?.MediaType);
    }
}
