using System.Diagnostics;
using Serverless.LocalArm.Faults;

namespace Serverless.LocalArm.Tests;

public sealed class FaultTests : LocalArmTestBase
{
    [Fact]
    public async Task A_429_with_Retry_After_is_honoured_by_the_SDK_retry_and_the_deployment_succeeds_once()
    {
        await CreateResourceGroupAsync("rg-429");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, Method = "PUT", PathContains = "/deployments/", RetryAfterSeconds = 1 });
        var clock = Stopwatch.StartNew();

        var operation = await Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-429", "d"), Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("t")));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"the retry came after {clock.Elapsed}, before Retry-After");
        Assert.Equal("Succeeded", JsonNode.Parse(operation.Value.Data.Properties)!["provisioningState"]!.GetValue<string>());
        Assert.Equal(1, Assert.Single(Server.Faults.List()).Fired);
        var puts = Server.Requests.Snapshot().Where(r => r.Method == "PUT" && r.Path.Contains("/deployments/", StringComparison.Ordinal)).Select(r => r.Status);
        Assert.Equal([429, 201], puts);
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-429"));
    }

    [Theory]
    [InlineData("Retry-After", "1")]
    [InlineData("retry-after-ms", "1000")]
    [InlineData("x-ms-retry-after-ms", "1000")]
    public async Task A_throttle_asks_for_its_wait_with_the_header_it_names(string header, string value)
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, RetryAfterSeconds = 1, RetryAfterHeader = header });
        using var http = new HttpClient(Server.CreateTrustingHandler()) { BaseAddress = Server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");

        using var answer = await http.GetAsync($"subscriptions/{SubscriptionId}/resourcegroups/rg-any?api-version=2024-03-01");

        Assert.Equal(429, (int)answer.StatusCode);
        Assert.Equal(value, Assert.Single(answer.Headers.GetValues(header)));
        var others = new[] { "Retry-After", "retry-after-ms", "x-ms-retry-after-ms" }.Where(h => !string.Equals(h, header, StringComparison.OrdinalIgnoreCase));
        Assert.All(others, h => Assert.False(answer.Headers.Contains(h), $"{h} was sent too"));
    }

    [Fact]
    public void A_throttle_with_another_header_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, RetryAfterHeader = "X-Wait" }));
    }

    [Fact]
    public async Task A_single_500_is_retried_by_the_SDK()
    {
        await CreateResourceGroupAsync("rg-500");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, PathContains = "/operationStatuses/" });

        await Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-500", "d"), Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("t")));

        Assert.Contains(Server.Requests.Snapshot(), r => r.Status == 500 && r.Path.Contains("/operationStatuses/", StringComparison.Ordinal));
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-500"));
    }

    [Fact]
    public async Task Persistent_500s_surface_as_an_ARM_error_after_the_SDK_retries()
    {
        await CreateResourceGroupAsync("rg-500s");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Count = 10, PathContains = "/deployments/" });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-500s", "d"), Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("t"))));

        Assert.Equal(500, error.Status);
        Assert.Equal("InternalServerError", error.ErrorCode);
        Assert.Equal(4, Assert.Single(Server.Faults.List()).Fired); // the first try and the SDK's 3 retries
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-500s"));
    }

    [Fact]
    public async Task A_409_Conflict_is_not_retried_and_carries_ARMs_error_body()
    {
        await CreateResourceGroupAsync("rg-409");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Conflict, PathContains = "/deployments/", Message = "Another operation is in progress." });
        var deployments = Client.GetGenericResources();
        var data = Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("t"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => deployments.CreateOrUpdateAsync(WaitUntil.Completed, DeploymentId("rg-409", "d"), data));

        Assert.Equal(409, error.Status);
        Assert.Equal("Conflict", error.ErrorCode);
        Assert.Contains("Another operation is in progress.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-409"));

        await deployments.CreateOrUpdateAsync(WaitUntil.Completed, DeploymentId("rg-409", "d"), data);
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-409"));
    }

    [Fact]
    public async Task A_failing_resource_ends_the_deployment_Failed_with_the_resource_named_and_a_retry_runs_again()
    {
        await CreateResourceGroupAsync("rg-fail");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.FailResource, ResourceName = "t-app", Count = 1 });
        var deployments = Client.GetGenericResources();
        var id = DeploymentId("rg-fail", "d");
        var data = Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("t"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => deployments.CreateOrUpdateAsync(WaitUntil.Completed, id, data));
        Assert.Equal("DeploymentFailed", error.ErrorCode);
        Assert.Contains("Microsoft.Web/sites/t-app", error.Message, StringComparison.Ordinal);

        var deployment = (await Raw.SendAsync(RequestMethod.Get, id.ToString())).Body!["properties"]!;
        Assert.Equal("Failed", deployment["provisioningState"]!.GetValue<string>());
        var detail = deployment["error"]!["details"]![0]!;
        Assert.Equal("ResourceDeploymentFailure", detail["code"]!.GetValue<string>());
        Assert.EndsWith("/providers/Microsoft.Web/sites/t-app", detail["target"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("LocalArmInjectedFault", detail["details"]![0]!["code"]!.GetValue<string>());
        var failed = (await Raw.SendAsync(RequestMethod.Get, id + "/operations")).Body!["value"]!.AsArray()
            .Single(o => o!["properties"]!["provisioningState"]!.GetValue<string>() == "Failed")!;
        Assert.Equal("t-app", failed["properties"]!["targetResource"]!["resourceName"]!.GetValue<string>());
        Assert.Equal("ResourceDeploymentFailure", failed["properties"]!["statusMessage"]!["error"]!["code"]!.GetValue<string>());

        // The same artifact deployed again is a retry: it runs again and, the fault used up, succeeds.
        var retry = await deployments.CreateOrUpdateAsync(WaitUntil.Completed, id, data);
        Assert.Equal("Succeeded", JsonNode.Parse(retry.Value.Data.Properties)!["provisioningState"]!.GetValue<string>());
        var stats = Assert.Single(Server.Stats().ResourceGroups);
        Assert.Equal((2, 1, 1), (stats.Deployments, stats.Failed, stats.Succeeded));
    }

    [Fact]
    public async Task Faults_are_set_listed_and_cleared_over_HTTP()
    {
        using var http = new HttpClient(Server.CreateTrustingHandler()) { BaseAddress = Server.BaseUri };

        var set = await http.PostAsJsonAsync("_localarm/faults", new JsonArray(
            new JsonObject { ["kind"] = "throttle", ["count"] = 2, ["retryAfterSeconds"] = 3, ["pathContains"] = "/deployments/" },
            new JsonObject { ["kind"] = "SlowDeployment", ["durationSeconds"] = 2.5 }));
        Assert.Equal(200, (int)set.StatusCode);

        var listed = JsonNode.Parse(await http.GetStringAsync("_localarm/faults"))!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.Equal("Throttle", listed[0]!["rule"]!["kind"]!.GetValue<string>());
        Assert.Equal(2, listed[0]!["remaining"]!.GetValue<int>());
        Assert.Null(listed[1]!["remaining"]);

        var bad = await http.PostAsJsonAsync("_localarm/faults", new JsonObject { ["kind"] = "FailResource" });
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal("InvalidFault", JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());

        Assert.Equal(204, (int)(await http.DeleteAsync("_localarm/faults")).StatusCode);
        Assert.Empty(Server.Faults.List());
    }
}
