using System.Diagnostics;
using Serverless.LocalArm.Faults;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class ArmDeployerFaultTests : ArmDeployerTestBase
{
    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_the_deployment_succeeds_once()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, Method = "PUT", PathContains = "/deployments/", RetryAfterSeconds = 1 });
        var clock = Stopwatch.StartNew();

        var outcome = await Deployer.DeployAsync(Request("rg-429", "throttled-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t")));

        Assert.Equal("Succeeded", outcome.ProvisioningState);
        var puts = Requests("PUT", "/deployments/");
        Assert.Equal([429, 201], puts.Select(p => p.Status));
        Assert.True(puts[1].At - puts[0].At >= TimeSpan.FromSeconds(0.95), $"retried {puts[1].At - puts[0].At} after the 429, before its Retry-After");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95));
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-429"));
    }

    [Fact]
    public async Task A_500_is_retried()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Method = "PUT", PathContains = "/deployments/" });
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, PathContains = "/operationStatuses/" });

        var outcome = await Deployer.DeployAsync(Request("rg-500", "flaky-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t")));

        Assert.Equal("Succeeded", outcome.ProvisioningState);
        Assert.Equal([500, 201], DeploymentPuts());
        Assert.Contains(Requests("GET", "/operationStatuses/"), r => r.Status == 500);
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-500"));
    }

    [Fact]
    public async Task Persistent_5xx_become_a_transient_failure_after_the_configured_attempts()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Count = 50, Method = "PUT", PathContains = "/deployments/" });

        var error = await Assert.ThrowsAsync<TransientArmException>(() =>
            Deployer.DeployAsync(Request("rg-500s", "down-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t"))));

        Assert.IsNotAssignableFrom<PermanentStageFailure>(error);
        Assert.Equal(500, error.Status);
        Assert.Contains("4 time(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("InternalServerError", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, DeploymentPuts().Count);
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-500s"));
    }

    [Fact]
    public async Task A_permanent_400_fails_at_once_with_ARMs_message()
    {
        var error = await Assert.ThrowsAsync<PermanentArmException>(() =>
            Deployer.DeployAsync(Request("rg-400", "invalid-1", ArmTemplates.StorageAndSite(), parameters: null)));

        Assert.IsAssignableFrom<PermanentStageFailure>(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidTemplate", error.Error?.Code);
        Assert.Contains("prefix", error.Message, StringComparison.Ordinal);
        Assert.Equal([400], DeploymentPuts());
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-400"));
    }

    [Fact]
    public async Task A_plain_409_Conflict_is_permanent_and_not_retried()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Conflict, Method = "PUT", PathContains = "/deployments/", Message = "The scope is locked." });

        var error = await Assert.ThrowsAsync<PermanentArmException>(() =>
            Deployer.DeployAsync(Request("rg-409", "conflict-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t"))));

        Assert.Equal(409, error.Status);
        Assert.Contains("The scope is locked.", error.Message, StringComparison.Ordinal);
        Assert.Equal([409], DeploymentPuts());
    }

    [Fact]
    public async Task A_failing_resource_is_a_permanent_failure_that_names_it_and_a_retry_deploys_again()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.FailResource, ResourceName = "bad-app", Count = 1 });
        var request = Request("rg-fail", "fail-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("bad"));

        var error = await Assert.ThrowsAsync<PermanentArmException>(() => Deployer.DeployAsync(request));

        Assert.IsAssignableFrom<PermanentStageFailure>(error);
        Assert.Contains("ended Failed on Microsoft.Web/sites/bad-app", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResourceDeploymentFailure at Microsoft.Web/sites/bad-app", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalArmInjectedFault", error.Message, StringComparison.Ordinal);
        Assert.Equal("DeploymentFailed", error.Error?.Code);
        Assert.EndsWith("/providers/Microsoft.Web/sites/bad-app", Assert.Single(error.Error!.FailedResources()), StringComparison.Ordinal);

        // The same name again (a deliberate retry of the stage): a failed deployment runs again.
        var retried = await Deployer.DeployAsync(request);
        Assert.Equal("Succeeded", retried.ProvisioningState);
        Assert.False(retried.Reused);
        var stats = Assert.Single(Server.Stats().ResourceGroups);
        Assert.Equal((2, 1, 1), (stats.Deployments, stats.Failed, stats.Succeeded));
    }

    [Fact]
    public async Task A_throttled_resource_group_creation_is_retried_too()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, Method = "PUT", PathContains = "/resourcegroups/rg-throttled-group?", RetryAfterSeconds = 1 });

        var outcome = await Deployer.DeployAsync(Request("rg-throttled-group", "group-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("g")));

        Assert.True(outcome.ResourceGroupCreated);
        Assert.Equal(1, Assert.Single(Server.Faults.List()).Fired);
    }
}
