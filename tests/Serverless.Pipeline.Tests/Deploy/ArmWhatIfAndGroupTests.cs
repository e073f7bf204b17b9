using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class ArmWhatIfAndGroupTests : ArmDeployerTestBase
{
    [Fact]
    public async Task What_if_of_the_deployed_template_shows_no_changes_and_a_new_resource_shows_a_Create()
    {
        var deployed = Request("rg-whatif", "whatif-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("wi"));
        await Deployer.DeployAsync(deployed);

        var same = await Deployer.WhatIfAsync(deployed);
        Assert.True(same.ResourceGroupExists);
        Assert.False(same.HasChanges);
        Assert.Equal(2, same.Count(WhatIfChangeType.NoChange));

        var grown = await Deployer.WhatIfAsync(deployed with { DeploymentName = "whatif-2", Template = ArmTemplates.StorageAndSite(withQueue: true) });
        Assert.True(grown.HasChanges);
        var created = Assert.Single(grown.Changes, c => c.ChangeType == WhatIfChangeType.Create);
        Assert.EndsWith("/providers/Microsoft.ServiceBus/namespaces/wi-bus", created.ResourceId, StringComparison.Ordinal);
        Assert.Equal(2, grown.Count(WhatIfChangeType.NoChange));

        var modified = await Deployer.WhatIfAsync(deployed with { Template = ArmTemplates.StorageAndSite().Replace("\"httpsOnly\":true", "\"httpsOnly\":false", StringComparison.Ordinal) });
        var change = Assert.Single(modified.Changes, c => c.ChangeType == WhatIfChangeType.Modify);
        Assert.Contains("properties.httpsOnly", change.ChangedProperties);

        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-whatif")); // what-if deploys nothing
    }

    [Fact]
    public async Task What_if_into_a_missing_resource_group_has_changes_and_creates_nothing()
    {
        var outcome = await Deployer.WhatIfAsync(Request("rg-not-yet", "whatif-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("x")));

        Assert.False(outcome.ResourceGroupExists);
        Assert.True(outcome.HasChanges);
        Assert.False(await Deployer.ResourceGroupExistsAsync(Subscription, "rg-not-yet"));
    }

    [Fact]
    public async Task What_if_of_an_invalid_template_is_a_permanent_failure()
    {
        await Deployer.DeployAsync(Request("rg-whatif-bad", "ok-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("x")));

        var error = await Assert.ThrowsAsync<PermanentArmException>(() =>
            Deployer.WhatIfAsync(Request("rg-whatif-bad", "whatif-1", ArmTemplates.StorageAndSite(), parameters: null)));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task A_deleted_resource_group_is_gone_and_deleting_it_again_is_fine()
    {
        await Deployer.DeployAsync(Request("rg-delete", "delete-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("del")));
        Assert.True(await Deployer.ResourceGroupExistsAsync(Subscription, "rg-delete"));

        await Deployer.DeleteResourceGroupAsync(Subscription, "rg-delete");
        Assert.False(await Deployer.ResourceGroupExistsAsync(Subscription, "rg-delete"));

        await Deployer.DeleteResourceGroupAsync(Subscription, "rg-delete");
        Assert.Equal([200, 404], Requests("DELETE", "/resourcegroups/rg-delete").Select(r => r.Status));
    }

    [Fact]
    public async Task An_existing_resource_group_is_used_as_it_is()
    {
        await Deployer.DeployAsync(Request("rg-kept", "kept-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("a")));

        var second = await Deployer.DeployAsync(Request("rg-kept", "kept-2", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("b")));

        Assert.False(second.ResourceGroupCreated);
        Assert.Single(Requests("PUT", "/resourcegroups/rg-kept?"));
    }
}
