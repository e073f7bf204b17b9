using System.Text.Json;
using Serverless.LocalArm.Faults;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class ArmDeployerTests : ArmDeployerTestBase
{
    [Fact]
    public async Task The_sample_stack_compiled_by_Bicep_deploys_with_its_dev_parameters_into_a_new_resource_group()
    {
        var template = await ArmTemplates.SampleNetworkAsync();
        var name = DeploymentName.For("run-0001", "dev", 1);
        Assert.False(await Deployer.ResourceGroupExistsAsync(Subscription, "rg-sample-dev"));

        var outcome = await Deployer.DeployAsync(Request("rg-sample-dev", name, template, ArmTemplates.SampleParameters("dev")));

        Assert.Equal("Succeeded", outcome.ProvisioningState);
        Assert.True(outcome.ResourceGroupCreated);
        Assert.False(outcome.Reused);
        Assert.Equal(name, outcome.DeploymentName);
        Assert.EndsWith($"/resourceGroups/rg-sample-dev/providers/Microsoft.Resources/deployments/{name}", outcome.DeploymentId, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("vnet-sample-network-dev", outcome.Outputs["vnetName"].GetString());
        Assert.Equal("10.10.0.0/16", outcome.Outputs["addressPrefix"].GetString());
        Assert.EndsWith("/providers/Microsoft.Network/virtualNetworks/vnet-sample-network-dev", outcome.Outputs["vnetId"].GetString(), StringComparison.Ordinal);
        Assert.NotNull(outcome.CorrelationId);
        Assert.True(await Deployer.ResourceGroupExistsAsync(Subscription, "rg-sample-dev"));
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-sample-dev"));
        Assert.Contains(Assert.Single(Server.Stats().ResourceGroups).Resources,
            id => id.EndsWith("/providers/Microsoft.Network/virtualNetworks/vnet-sample-network-dev", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_same_deployment_name_twice_is_deployed_once()
    {
        var request = Request("rg-twice", DeploymentName.For("run-0002", "dev", 1), ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("twice"));

        var first = await Deployer.DeployAsync(request);
        var second = await Deployer.DeployAsync(request);

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.False(second.ResourceGroupCreated);
        Assert.Equal(first.CorrelationId, second.CorrelationId);
        Assert.Equal("twicestore", second.Outputs["accountName"].GetString());
        Assert.Equal(42, second.Outputs["answer"].GetInt32());
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-twice"));
    }

    [Fact]
    public async Task A_replay_while_the_deployment_runs_joins_it_instead_of_deploying_again()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.SlowDeployment, DurationSeconds = 0.6 });
        var request = Request("rg-replay", DeploymentName.For("run-0003", "dev", 1), ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("replay"));

        var first = Deployer.DeployAsync(request);
        await Task.Delay(200);
        var replay = await Deployer.DeployAsync(request);

        Assert.Equal("Succeeded", replay.ProvisioningState);
        Assert.Equal((await first).CorrelationId, replay.CorrelationId);
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-replay"));
    }

    [Fact]
    public async Task Different_content_under_the_same_name_is_deployed()
    {
        var name = DeploymentName.For("run-0004", "dev", 1);
        await Deployer.DeployAsync(Request("rg-changed", name, ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("one")));

        var changed = await Deployer.DeployAsync(Request("rg-changed", name, ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("two")));

        Assert.False(changed.Reused);
        Assert.Equal("twostore", changed.Outputs["accountName"].GetString());
        Assert.Equal(2, Server.Stats().DeploymentsIn("rg-changed"));
    }

    [Fact]
    public async Task A_slow_deployment_is_polled_until_it_ends()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.SlowDeployment, DurationSeconds = 0.5 });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Deployer.DeployAsync(Request("rg-slow", "slow-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("slow")));

        Assert.Equal("Succeeded", outcome.ProvisioningState);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.45), $"done after {clock.Elapsed}");
        Assert.True(Requests("GET", "/operationStatuses/").Count >= 3, "the operation status was polled");
    }

    [Fact]
    public async Task A_deployment_still_running_at_the_timeout_is_transient_and_a_retry_finds_it()
    {
        Server.Faults.Add(new FaultRule { Kind = FaultKind.SlowDeployment, DurationSeconds = 1.5 });
        var request = Request("rg-timeout", "timeout-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("late"));
        var hurried = new ArmDeployer(ArmClientFactory.Create(ShortTimeout()), Microsoft.Extensions.Options.Options.Create(ShortTimeout()),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ArmDeployer>.Instance);

        var late = await Assert.ThrowsAsync<TransientArmException>(() => hurried.DeployAsync(request));
        Assert.Contains("still", late.Message, StringComparison.Ordinal);
        Assert.Contains("same deployment name", late.Message, StringComparison.Ordinal);

        var retried = await Deployer.DeployAsync(request);
        Assert.Equal("Succeeded", retried.ProvisioningState);
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-timeout"));
    }

    [Fact]
    public async Task Outputs_survive_a_round_trip_through_JSON_as_an_activity_result_does()
    {
        var outcome = await Deployer.DeployAsync(Request("rg-json", "json-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("json")));

        var copy = JsonSerializer.Deserialize<ArmDeploymentOutcome>(JsonSerializer.Serialize(outcome))!;

        Assert.Equal("jsonstore", copy.Outputs["accountName"].GetString());
        Assert.Equal(outcome.DeploymentId, copy.DeploymentId);
    }

    [Fact]
    public async Task Invalid_input_is_refused_before_any_request()
    {
        await Assert.ThrowsAsync<PermanentArmException>(() => Deployer.DeployAsync(Request("rg-bad", "no spaces allowed", ArmTemplates.StorageAndSite(), null)));
        await Assert.ThrowsAsync<PermanentArmException>(() => Deployer.DeployAsync(Request("rg-bad", "ok-1", "{ not json", null)));
        Assert.Empty(Server.Requests.Snapshot());
    }

    private ArmOptions ShortTimeout() => new()
    {
        Endpoint = Server.BaseUri,
        StaticToken = "pipeline-tests",
        TrustedCertificateFile = CertificateFile,
        PollInterval = TimeSpan.FromMilliseconds(50),
        DeploymentTimeout = TimeSpan.FromSeconds(0.5),
    };
}
