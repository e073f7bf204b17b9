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

    [Theory]
    [InlineData("retry-after-ms")]
    [InlineData("x-ms-retry-after-ms")]
    public async Task A_429_asking_for_its_wait_in_milliseconds_is_honoured_beyond_the_longest_backoff(string header)
    {
        // Arm:MaxRetryDelay is 0.5 s in these tests: only the header can make the retry wait a second.
        Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, Method = "PUT", PathContains = "/deployments/", RetryAfterSeconds = 1, RetryAfterHeader = header });

        var outcome = await Deployer.DeployAsync(Request("rg-429ms", "throttled-ms-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t")));

        Assert.Equal("Succeeded", outcome.ProvisioningState);
        var puts = Requests("PUT", "/deployments/");
        Assert.Equal([429, 201], puts.Select(p => p.Status));
        Assert.True(puts[1].At - puts[0].At >= TimeSpan.FromSeconds(0.95), $"retried {puts[1].At - puts[0].At} after the 429, before its {header}");
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
    public async Task Persistent_5xx_are_sent_exactly_the_configured_attempts_and_then_not_retried_by_the_orchestrator()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Count = 50, Method = "PUT", PathContains = "/deployments/" });

        var error = await Assert.ThrowsAsync<ArmRetriesExhaustedException>(() =>
            Deployer.DeployAsync(Request("rg-500s", "down-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t"))));

        // Azure.Core's retry policy is the one layer: Arm:MaxAttempts (4 here) PUTs, no more, and the
        // orchestrator does not retry a RetriesExhaustedFailure on top of it.
        Assert.IsAssignableFrom<RetriesExhaustedFailure>(error);
        Assert.IsNotAssignableFrom<PermanentStageFailure>(error);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(500, error.Status);
        Assert.Contains("4 time(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("InternalServerError", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, DeploymentPuts().Count);
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-500s"));
        // Azure.Core's exponential backoff between them: Arm:RetryDelay (50 ms) doubled per retry, at least 80% of it.
        var at = Requests("PUT", "/deployments/").Select(r => r.At).ToList();
        for (var retry = 1; retry < at.Count; retry++)
        {
            var least = TimeSpan.FromMilliseconds(0.8 * 50 * Math.Pow(2, retry - 1));
            Assert.True(at[retry] - at[retry - 1] >= least - TimeSpan.FromMilliseconds(5), $"retry {retry} came {at[retry] - at[retry - 1]} after the last attempt, before {least}");
        }
    }

    [Fact]
    public async Task A_poll_whose_retries_run_out_is_transient_for_the_activity_and_sends_no_second_PUT()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Count = 50, PathContains = "/operationStatuses/" });

        var error = await Assert.ThrowsAsync<TransientArmException>(() =>
            Deployer.DeployAsync(Request("rg-poll500", "poll-down-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("t"))));

        // The deployment was accepted and goes on in ARM: the orchestrator's next activity attempt rejoins it.
        Assert.IsNotAssignableFrom<RetriesExhaustedFailure>(error);
        Assert.IsType<ArmRetriesExhaustedException>(error.InnerException);
        Assert.Equal([201], DeploymentPuts());
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
