namespace Serverless.LocalArm.Tests;

public sealed class WhatIfTests : LocalArmTestBase
{
    [Fact]
    public async Task What_if_compares_the_template_with_what_is_deployed()
    {
        await CreateResourceGroupAsync("rg-whatif");
        await Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-whatif", "v1"), Templates.Generic(Templates.StorageAndSite(), Templates.Parameters("w")));

        var same = await WhatIfAsync(Templates.StorageAndSite(), Templates.Parameters("w"));
        Assert.Equal(["NoChange", "NoChange"], same.Select(c => c.ChangeType));

        var added = await WhatIfAsync(Templates.StorageAndSite(withQueue: true), Templates.Parameters("w"));
        Assert.Equal("Create", added.Single(c => c.ResourceId.EndsWith("/Microsoft.ServiceBus/namespaces/w-bus", StringComparison.Ordinal)).ChangeType);
        Assert.Equal(2, added.Count(c => c.ChangeType == "NoChange"));

        var changed = await WhatIfAsync(Templates.StorageAndSite(), Templates.Parameters("w", sku: "Standard_GRS"));
        var account = changed.Single(c => c.ResourceId.EndsWith("/storageAccounts/wstore", StringComparison.Ordinal));
        Assert.Equal("Modify", account.ChangeType);
        Assert.Equal("sku.name", account.Change["delta"]![0]!["path"]!.GetValue<string>());

        var renamed = await WhatIfAsync(Templates.StorageAndSite(), Templates.Parameters("v"), mode: "Complete");
        Assert.Equal(2, renamed.Count(c => c.ChangeType == "Create"));
        Assert.Equal(2, renamed.Count(c => c.ChangeType == "Delete"));
        Assert.Equal(1, Server.Stats().DeploymentsIn("rg-whatif"));
    }

    private async Task<List<(string ResourceId, string ChangeType, JsonNode Change)>> WhatIfAsync(JsonObject template, JsonObject parameters, string mode = "Incremental")
    {
        var post = await Raw.SendAsync(RequestMethod.Post, DeploymentId("rg-whatif", "v2") + "/whatIf", Templates.Body(template, parameters, mode));
        Assert.Equal(202, post.Status);
        var result = await Raw.PollAsync(post.Header("Location")!, TimeSpan.FromSeconds(10));
        Assert.Equal(200, result.Status);
        Assert.Equal("Succeeded", result.Body!["status"]!.GetValue<string>());
        return [.. result.Body["properties"]!["changes"]!.AsArray().Select(c =>
            (c!["resourceId"]!.GetValue<string>(), c["changeType"]!.GetValue<string>(), c))];
    }
}
