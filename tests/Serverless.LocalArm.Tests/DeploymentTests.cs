using System.Diagnostics;
using Serverless.LocalArm.Faults;

namespace Serverless.LocalArm.Tests;

public sealed class DeploymentTests : LocalArmTestBase
{
    [Fact]
    public async Task The_SDK_deploys_a_template_polls_to_Succeeded_and_reads_the_outputs()
    {
        await CreateResourceGroupAsync("rg-deploy");

        var operation = await Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-deploy", "stack-v1"), Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("demo")));

        var properties = JsonNode.Parse(operation.Value.Data.Properties)!;
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        Assert.Equal("demostore", properties["outputs"]!["accountName"]!["value"]!.GetValue<string>());
        Assert.Equal("demo", properties["outputs"]!["prefix"]!["value"]!.GetValue<string>());
        Assert.Equal(42, properties["outputs"]!["answer"]!["value"]!.GetValue<int>());
        Assert.Equal("Incremental", properties["mode"]!.GetValue<string>());
        Assert.NotNull(properties["correlationId"]);

        var operations = (await Raw.SendAsync(RequestMethod.Get, DeploymentId("rg-deploy", "stack-v1") + "/operations")).Body!["value"]!.AsArray();
        Assert.Equal(
            [
                $"/subscriptions/{SubscriptionId}/resourceGroups/rg-deploy/providers/Microsoft.Storage/storageAccounts/demostore",
                $"/subscriptions/{SubscriptionId}/resourceGroups/rg-deploy/providers/Microsoft.Web/sites/demo-app",
            ],
            operations.Select(o => o!["properties"]!["targetResource"]!["id"]!.GetValue<string>()));
        Assert.All(operations, o => Assert.Equal("Succeeded", o!["properties"]!["provisioningState"]!.GetValue<string>()));
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-deploy"));
    }

    [Fact]
    public async Task The_same_deployment_put_again_is_not_deployed_twice()
    {
        await CreateResourceGroupAsync("rg-idem");
        var deployments = Client.GetGenericResources();
        var id = DeploymentId("rg-idem", "stack-abc123");

        await deployments.CreateOrUpdateAsync(WaitUntil.Completed, id, Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("demo")));
        var again = await deployments.CreateOrUpdateAsync(WaitUntil.Completed, id, Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("demo")));

        Assert.Equal("Succeeded", JsonNode.Parse(again.Value.Data.Properties)!["provisioningState"]!.GetValue<string>());
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-idem"));

        await deployments.CreateOrUpdateAsync(WaitUntil.Completed, id, Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("other")));
        Assert.Equal(2, Server.Stats().DeploymentsIn("rg-idem"));
    }

    [Fact]
    public async Task A_raw_put_answers_201_Accepted_with_Azure_AsyncOperation_and_the_status_url_runs_to_Succeeded()
    {
        await CreateResourceGroupAsync("rg-raw");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.SlowDeployment, DurationSeconds = 0.5 });
        var path = DeploymentId("rg-raw", "slow").ToString();
        var body = Templates.Body(Templates.StorageAndSite(), Templates.Parameters("raw"));
        var clock = Stopwatch.StartNew();

        var put = await Raw.SendAsync(RequestMethod.Put, path, body);
        Assert.Equal(201, put.Status);
        Assert.Equal("Accepted", put.Body!["properties"]!["provisioningState"]!.GetValue<string>());
        var statusUrl = put.Header("Azure-AsyncOperation")!;

        var running = await Raw.SendAsync(RequestMethod.Get, statusUrl);
        Assert.Equal("Running", running.Body!["status"]!.GetValue<string>());
        Assert.Equal("Running", (await Raw.SendAsync(RequestMethod.Get, path)).Body!["properties"]!["provisioningState"]!.GetValue<string>());

        // The same PUT while it runs joins the running deployment; a different one is refused.
        var joined = await Raw.SendAsync(RequestMethod.Put, path, body);
        Assert.Equal(201, joined.Status);
        Assert.Equal(statusUrl, joined.Header("Azure-AsyncOperation"));
        var other = await Raw.SendAsync(RequestMethod.Put, path, Templates.Body(Templates.StorageAndSite(), Templates.Parameters("changed")));
        Assert.Equal(409, other.Status);
        Assert.Equal("DeploymentActive", other.Body!["error"]!["code"]!.GetValue<string>());

        var final = await Raw.PollAsync(statusUrl, TimeSpan.FromSeconds(10));
        Assert.Equal("Succeeded", final.Body!["status"]!.GetValue<string>());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.45), $"finished after {clock.Elapsed}");

        var deployment = (await Raw.SendAsync(RequestMethod.Get, path)).Body!["properties"]!;
        Assert.Equal("Succeeded", deployment["provisioningState"]!.GetValue<string>());
        Assert.Equal("rawstore", deployment["outputs"]!["accountName"]!["value"]!.GetValue<string>());
        Assert.StartsWith("PT0.", deployment["duration"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Z", deployment["timestamp"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-raw"));
    }

    [Fact]
    public async Task A_deployment_to_a_missing_group_is_an_ARM_404()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-missing", "d"), Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("x"))));
        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceGroupNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task A_template_without_a_required_parameter_is_refused_before_anything_is_deployed()
    {
        await CreateResourceGroupAsync("rg-invalid");
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-invalid", "d"), Templates.Generic(Templates.StorageAndSite(), [])));
        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidTemplate", error.ErrorCode);
        Assert.Contains("prefix", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-invalid"));
    }
}
