using Azure.ResourceManager.Resources;

namespace Serverless.LocalArm.Tests;

public sealed class ResourceGroupTests : LocalArmTestBase
{
    [Fact]
    public async Task The_SDK_creates_reads_and_deletes_a_resource_group()
    {
        var created = await ResourceGroups.CreateOrUpdateAsync(WaitUntil.Completed, "rg-create", new ResourceGroupData(AzureLocation.WestEurope) { Tags = { ["stack"] = "demo" } });
        Assert.Equal("rg-create", created.Value.Data.Name);

        var read = (await ResourceGroups.GetAsync("RG-CREATE")).Value;
        Assert.Equal(AzureLocation.WestEurope, read.Data.Location);
        Assert.Equal("demo", read.Data.Tags["stack"]);
        Assert.Equal($"/subscriptions/{SubscriptionId}/resourceGroups/rg-create", read.Id.ToString());
        Assert.True((await ResourceGroups.ExistsAsync("rg-create")).Value);

        await read.DeleteAsync(WaitUntil.Completed);
        Assert.False((await ResourceGroups.ExistsAsync("rg-create")).Value);
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => ResourceGroups.GetAsync("rg-create"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("ResourceGroupNotFound", missing.ErrorCode);
    }

    [Fact]
    public async Task Head_tells_whether_a_group_exists()
    {
        await CreateResourceGroupAsync("rg-head");
        Assert.Equal(204, (await Raw.SendAsync(RequestMethod.Head, $"/subscriptions/{SubscriptionId}/resourcegroups/rg-head")).Status);
        Assert.Equal(404, (await Raw.SendAsync(RequestMethod.Head, $"/subscriptions/{SubscriptionId}/resourcegroups/rg-none")).Status);
    }
}
