namespace Serverless.EndToEnd.Tests;

/// <summary>A host that dies in the middle of a production wave: the run finishes on a new host, and nothing is applied twice.</summary>
public sealed class HostRestartTests
{
    [Fact]
    public async Task LocalHost_killed_during_a_production_wave_and_restarted_finishes_the_run_without_deploying_twice()
    {
        await using var azurite = await Azurite.StartOnFreePortsAsync();
        await using var arm = await LocalArmProcess.StartAsync();
        var workDirectory = Directory.CreateTempSubdirectory("pipeline-restart-").FullName;
        var settings = new Dictionary<string, string>(arm.HostSettings) { ["Sources:WorkDirectory"] = workDirectory };
        using var armClient = arm.CreateClient();
        // Production deployments take a while, so that the host dies while they run.
        (await armClient.PostAsJsonAsync("/_localarm/faults", new { kind = "SlowDeployment", pathContains = "rg-sample-network-prod", durationSeconds = 8 }))
            .EnsureSuccessStatusCode();

        string id;
        var first = await LocalHostProcess.StartAsync(azurite.ConnectionString, settings);
        try
        {
            using var client = first.CreateClient();
            var sample = (await client.GetFromJsonAsync<JsonObject>("/api/stacks/sample-network"))!;
            var commit = StackRepository.FromUrl((string)sample["repository"]!).CommitTemplateChange("change delivered across a crash");
            id = (string)(await (await client.PostAsJsonAsync("/api/stacks/sample-network/runs", new { commit })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
            var runs = new RunWaiter(client, () => first.Process.Output);
            await runs.WaitForStatusAsync(id, "AwaitingApproval");
            await client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "approve", by = "bob@contoso.example" });
            await runs.WaitForAsync(id, run => run["stages"]!.AsArray().Any(s => (string)s!["name"]! == "prod-westeurope" && (string)s["status"]! == "Running"),
                "prod-westeurope running");
            await Task.Delay(1500); // Let the deployment reach the stand-in.
        }
        finally
        {
            first.Process.Terminate(); // As a crash would: no graceful shutdown.
            await first.DisposeAsync();
        }

        await using var second = await LocalHostProcess.StartAsync(azurite.ConnectionString, settings);
        using var after = second.CreateClient();
        var finished = await new RunWaiter(after, () => second.Process.Output).WaitForStatusAsync(id, ["Completed", "Failed"], TimeSpan.FromMinutes(3), tolerateUnavailable: true);

        Assert.Equal("Completed", (string)finished["status"]!);
        var groups = (await armClient.GetFromJsonAsync<JsonObject>("/_localarm/stats"))!["resourceGroups"]!.AsArray();
        foreach (var group in new[] { "rg-sample-network-prod-westeurope", "rg-sample-network-prod-northeurope", "rg-sample-network-prod-eastus" })
        {
            var stats = groups.Single(g => string.Equals((string)g!["resourceGroup"]!, group, StringComparison.OrdinalIgnoreCase))!;
            Assert.Equal(1, (int)stats["deployments"]!); // Applied once, though the host that started it died.
        }
        try { Directory.Delete(workDirectory, recursive: true); } catch (IOException) { }
    }
}
