namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The delivery metrics as a user sees them: a run completes, an incident is linked to it and resolved, and
/// /api/metrics reports the release, a change failure rate above zero and a time to restore in minutes.
/// The host is shared with other tests that also deliver sample-network, so the assertions hold whatever else ran.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class MetricsTests(LocalHostFixture app)
{
    private const string Stack = "sample-network";

    [Fact]
    public async Task A_completed_run_with_a_linked_and_resolved_incident_shows_in_the_metrics()
    {
        var from = DateTimeOffset.UtcNow.AddHours(-2);
        var commit = app.NewCommit("metrics change");
        var started = await app.StartRunAsync(Stack, commit);
        var id = (string)started["id"]!;
        await app.Runs.WaitForStatusAsync(id, "AwaitingApproval");
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "approve", by = "bob@contoso.example" })).StatusCode);
        var run = await app.Runs.WaitForStatusAsync(id, "Completed");
        var version = (string)run["artifactVersion"]!;
        var to = DateTimeOffset.UtcNow.AddMinutes(10);
        var query = $"/api/metrics?stack={Stack}&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

        // The release is recorded when the run's record stage has run.
        var before = await WaitForMetricsAsync(query, m => (long)m["deploymentFrequency"]!["releases"]! >= 1);
        var failuresBefore = (long)before["changeFailureRate"]!["releasesNeedingRemediation"]!;

        // An incident caused by this release, opened 40 minutes ago and resolved 25 minutes later.
        var openedAt = DateTimeOffset.UtcNow.AddMinutes(-40);
        var opened = await app.Client.PostAsJsonAsync("/api/incidents",
            new { stack = Stack, environment = "prod-westeurope", openedAt, runId = id, title = "VNet peering dropped" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var incident = (await opened.Content.ReadFromJsonAsync<JsonObject>())!;
        var incidentId = (string)incident["id"]!;
        Assert.Equal($"/api/incidents/{incidentId}", opened.Headers.Location?.OriginalString);
        Assert.Equal(id, (string)incident["runId"]!);

        var resolved = await app.Client.PatchAsJsonAsync($"/api/incidents/{incidentId}", new { resolvedAt = openedAt.AddMinutes(25) });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(25, (double)(await resolved.Content.ReadFromJsonAsync<JsonObject>())!["minutesToRestore"]!);

        var metrics = await WaitForMetricsAsync(query, m => (long)m["changeFailureRate"]!["withIncidents"]! >= 1);
        var frequency = metrics["deploymentFrequency"]!;
        var failures = metrics["changeFailureRate"]!;
        var restore = metrics["timeToRestore"]!;
        Assert.True((long)frequency["releases"]! >= 1);
        Assert.True((double)frequency["perDay"]! > 0);
        Assert.Equal(failuresBefore + 1, (long)failures["releasesNeedingRemediation"]!);   // this release, once
        Assert.True((double)failures["rate"]! > 0);
        Assert.True((long)restore["resolved"]! >= 1);
        var median = (double)restore["medianMinutes"]!;
        Assert.True(median > 0);
        if ((long)restore["resolved"]! == 1) Assert.Equal(25, median);                        // minutes, not whole hours
        Assert.NotNull((string?)metrics["performance"]!["changeFailureRate"]);
        Assert.NotNull((string?)metrics["performance"]!["timeToRestore"]);
        Assert.True((long)metrics["leadTime"]!["toLastInstance"]!["count"]! >= 1);
        Assert.True((long)metrics["personTime"]!["changes"]! >= 1);

        // What runs where now: the production instances run this release's version.
        var environments = metrics["versions"]!["environments"]!.AsArray();
        foreach (var instance in new[] { "prod-westeurope", "prod-northeurope", "prod-eastus" })
            Assert.Contains(environments, e => (string)e!["environment"]! == instance && (string)e["version"]! == version && (string)e["kind"]! == "production");
        Assert.Contains(metrics["environmentUsage"]!.AsArray(), e => (string)e!["environment"]! == "staging" && (long)e["deployments"]! >= 1);
    }

    [Fact]
    public async Task Metrics_of_every_stack_include_an_overall_view()
    {
        var report = (await app.Client.GetFromJsonAsync<JsonObject>("/api/metrics"))!;

        Assert.Contains(report["stacks"]!.AsArray(), s => (string)s!["stack"]! == Stack);
        Assert.NotNull(report["overall"]);
        Assert.Equal(30, (double)report["days"]!);
    }

    [Theory]
    [InlineData("/api/metrics?stack=Bad_Name", "Bad_Name")]
    [InlineData("/api/metrics?stack=no-such-stack", "no-such-stack")]
    [InlineData("/api/metrics?from=not-a-date", "not-a-date")]
    [InlineData("/api/metrics?from=2026-03-05&to=2026-03-01", "after to")]
    [InlineData("/api/metrics?from=2024-01-01&to=2026-01-01", "366")]
    public async Task Bad_metrics_queries_are_refused_with_problem_details(string path, string mention)
    {
        var response = await app.Client.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mention, (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Azure_Monitor_alert_opens_and_resolves_one_incident()
    {
        var firedAt = DateTimeOffset.UtcNow.AddMinutes(-30);
        object Alert(string condition) => new
        {
            schemaId = "azureMonitorCommonAlertSchema",
            data = new
            {
                essentials = new
                {
                    alertId = $"/subscriptions/0000/providers/Microsoft.AlertsManagement/alerts/{Guid.NewGuid()}",
                    alertRule = "5xx on the gateway",
                    monitorCondition = condition,
                    firedDateTime = firedAt,
                    resolvedDateTime = condition == "Resolved" ? firedAt.AddMinutes(12) : (DateTimeOffset?)null,
                    alertTargetIDs = new[] { "/subscriptions/0000/resourcegroups/rg-net/providers/microsoft.network/applicationgateways/gw" },
                },
                customProperties = new { stack = Stack, environment = "prod-eastus" },
            },
        };
        var fired = Alert("Fired");
        var resolvedAlert = Alert("Resolved");
        // The same alert: copy the id into the resolved notification.
        var firedJson = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(fired))!;
        var resolvedJson = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(resolvedAlert))!;
        resolvedJson["data"]!["essentials"]!["alertId"] = (string)firedJson["data"]!["essentials"]!["alertId"]!;

        var first = await app.Client.PostAsJsonAsync("/api/incidents/azure-monitor", firedJson);
        var again = await app.Client.PostAsJsonAsync("/api/incidents/azure-monitor", firedJson);
        var resolved = await app.Client.PostAsJsonAsync("/api/incidents/azure-monitor", resolvedJson);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var incident = (await resolved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal((string)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!, (string)incident["id"]!);
        Assert.Equal(12, (double)incident["minutesToRestore"]!);
        Assert.Equal("azure-monitor", (string)incident["source"]!);
    }

    private Task<JsonObject> WaitForMetricsAsync(string query, Func<JsonObject, bool> condition) =>
        Poll.UntilAsync(async () => (await app.Client.GetFromJsonAsync<JsonObject>(query))!["stacks"]!.AsArray().Single()!.AsObject(), condition,
            TimeSpan.FromSeconds(60), stack => $"The metrics never met the condition: {stack.ToJsonString()}");
}
