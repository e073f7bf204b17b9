using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Tests;

/// <summary>
/// Modular Bicep stacks (Stacks/), compiled by the real Bicep CLI and deployed to the stand-in:
/// every module is a nested deployment with its own parameters, variables, functions and outputs,
/// and its resources become resources of the group.
/// </summary>
public sealed class ModularStackTests : LocalArmTestBase
{
    private static readonly string[] Regions = ["westeurope", "northeurope"];

    [Fact]
    public async Task Each_module_is_evaluated_with_its_own_parameters_variables_functions_and_outputs()
    {
        await CreateResourceGroupAsync("rg-estate");

        var properties = await DeployAsync("rg-estate", await BicepCli.BuildStackAsync("estate"), new JsonObject { ["prefix"] = Value("demo") });

        var outputs = properties["outputs"]!;
        Assert.Equal("demo-estate", Output(outputs, "label"));      // the root template's variable 'label'...
        Assert.Equal("demo-vnet", Output(outputs, "networkLabel")); // ...and the network module's own one
        var vnetId = Id("rg-estate", "Microsoft.Network/virtualNetworks/demo-vnet");
        Assert.Equal(vnetId, Output(outputs, "vnetId"));
        // A user-defined function of the site module, in a loop of modules, read by the root's output loop.
        Assert.Equal(["demo-site-westeurope.azurewebsites.net", "demo-site-northeurope.azurewebsites.net"],
            outputs["siteHosts"]!["value"]!.AsArray().Select(h => h!.GetValue<string>()));
        var accounts = outputs["storageAccounts"]!["value"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.All(accounts, a => Assert.Matches("^st[a-z2-7]{13}$", a));
        Assert.Equal(2, accounts.Distinct().Count());

        var resources = Server.State.Resources(SubscriptionId, "rg-estate").ToDictionary(r => r.Id, r => r.Definition, StringComparer.OrdinalIgnoreCase);
        string[] expected =
        [
            vnetId,
            .. Regions.SelectMany(region => new[]
            {
                Id("rg-estate", $"Microsoft.Web/serverfarms/demo-site-{region}-plan"),
                Id("rg-estate", $"Microsoft.Web/sites/demo-site-{region}"),
            }),
            .. accounts.Select(account => Id("rg-estate", $"Microsoft.Storage/storageAccounts/{account}")),
        ];
        Assert.Equal(expected.Order(StringComparer.OrdinalIgnoreCase), resources.Keys.Order(StringComparer.OrdinalIgnoreCase));

        // The network module's variable loop and property loop.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [ { "name": "app", "properties": { "addressPrefix": "10.0.0.0/24" } },
              { "name": "data", "properties": { "addressPrefix": "10.0.1.0/24" } } ]
            """), resources[vnetId]["properties"]!["subnets"]), resources[vnetId].ToJsonString());
        for (var i = 0; i < Regions.Length; i++)
        {
            var site = resources[Id("rg-estate", $"Microsoft.Web/sites/demo-site-{Regions[i]}")]["properties"]!;
            Assert.Equal($"{vnetId}/subnets/app", site["virtualNetworkSubnetId"]!.GetValue<string>());       // one module's output, another's parameter
            Assert.Equal(accounts[i], site["siteConfig"]!["appSettings"]![0]!["value"]!.GetValue<string>()); // a module's module, two levels deep
            Assert.Equal(Id("rg-estate", $"Microsoft.Web/serverfarms/demo-site-{Regions[i]}-plan"), site["serverFarmId"]!.GetValue<string>());
            var account = resources[Id("rg-estate", $"Microsoft.Storage/storageAccounts/{accounts[i]}")];
            Assert.Equal($"demo-site-{Regions[i]}", account["tags"]!["owner"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_conditional_module_is_deployed_only_when_its_condition_holds()
    {
        await CreateResourceGroupAsync("rg-monitored");
        var template = await BicepCli.BuildStackAsync("estate");
        var workspaceId = Id("rg-monitored", "Microsoft.OperationalInsights/workspaces/demo-estate-logs");

        await DeployAsync("rg-monitored", template, new JsonObject { ["prefix"] = Value("demo") }, "estate-v1");
        Assert.DoesNotContain(Server.State.Resources(SubscriptionId, "rg-monitored"), r => r.Id == workspaceId);

        var regions = new JsonArray("westeurope", "northeurope", "swedencentral");
        await DeployAsync("rg-monitored", template, new JsonObject { ["prefix"] = Value("demo"), ["regions"] = Value(regions), ["withMonitoring"] = Value(true) }, "estate-v2");

        var resources = Server.State.Resources(SubscriptionId, "rg-monitored");
        var workspace = Assert.Single(resources, r => r.Id == workspaceId);
        // Its parameter siteIds is a loop over the outputs of the three site modules.
        Assert.Equal("3", workspace.Definition["tags"]!["sites"]!.GetValue<string>());
        Assert.Equal(3, resources.Count(r => r.Type == "Microsoft.Web/sites"));
        Assert.DoesNotContain(resources, r => r.Type == "Microsoft.Resources/deployments");
    }

    [Fact]
    public async Task Modules_are_deployed_in_dependsOn_order()
    {
        await CreateResourceGroupAsync("rg-order");
        await DeployAsync("rg-order", await BicepCli.BuildStackAsync("estate"), new JsonObject { ["prefix"] = Value("demo") });

        var order = (await Raw.SendAsync(RequestMethod.Get, DeploymentId("rg-order", "estate-v1") + "/operations")).Body!["value"]!.AsArray()
            .Select(o => o!["properties"]!["targetResource"]!["id"]!.GetValue<string>()).ToList();
        var accounts = order.Where(id => id.Contains("/storageAccounts/", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, order.Count);
        Assert.Equal(Id("rg-order", "Microsoft.Network/virtualNetworks/demo-vnet"), order[0]); // every site module waits for the network module
        for (var i = 0; i < Regions.Length; i++)
        {
            var site = order.IndexOf(Id("rg-order", $"Microsoft.Web/sites/demo-site-{Regions[i]}"));
            Assert.True(order.IndexOf(Id("rg-order", $"Microsoft.Web/serverfarms/demo-site-{Regions[i]}-plan")) < site);
            Assert.True(order.IndexOf(accounts.Single(a => OwnerOf("rg-order", a) == $"demo-site-{Regions[i]}")) < site);
        }
    }

    [Fact]
    public async Task A_failing_resource_of_a_module_stops_what_waits_for_it_and_nothing_else()
    {
        await CreateResourceGroupAsync("rg-failing");
        Server.Faults.Add(new FaultRule { Kind = FaultKind.FailResource, ResourceName = "demo-site-westeurope-plan" });
        var path = DeploymentId("rg-failing", "estate-v1").ToString();

        var put = await Raw.SendAsync(RequestMethod.Put, path, Body(await BicepCli.BuildStackAsync("estate"), new JsonObject { ["prefix"] = Value("demo") }));
        Assert.Equal(201, put.Status);
        var status = await Raw.PollAsync(put.Header("Azure-AsyncOperation")!, TimeSpan.FromSeconds(10));

        Assert.Equal("Failed", status.Body!["status"]!.GetValue<string>());
        var plan = Id("rg-failing", "Microsoft.Web/serverfarms/demo-site-westeurope-plan");
        Assert.Equal(plan, status.Body["error"]!["details"]![0]!["target"]!.GetValue<string>());
        var deployed = Server.State.Resources(SubscriptionId, "rg-failing").Select(r => r.Id).ToList();
        Assert.DoesNotContain(plan, deployed);
        Assert.DoesNotContain(Id("rg-failing", "Microsoft.Web/sites/demo-site-westeurope"), deployed); // it waits for the plan
        Assert.Contains(Id("rg-failing", "Microsoft.Network/virtualNetworks/demo-vnet"), deployed);
        Assert.Contains(Id("rg-failing", "Microsoft.Web/sites/demo-site-northeurope"), deployed);
        Assert.Equal(2, deployed.Count(id => id.Contains("/storageAccounts/", StringComparison.Ordinal))); // the west site's storage does not wait for its plan
        Assert.Equal(5, deployed.Count);
    }

    [Fact]
    public async Task What_if_reports_the_modules_resources_as_resources_of_the_group()
    {
        await CreateResourceGroupAsync("rg-whatif-modules");
        var template = await BicepCli.BuildStackAsync("estate");
        var parameters = new JsonObject { ["prefix"] = Value("demo") };

        var before = await WhatIfAsync("rg-whatif-modules", template, parameters);
        Assert.Equal(7, before.Count);
        Assert.All(before, c => Assert.Equal("Create", c.ChangeType));
        Assert.DoesNotContain(before, c => c.ResourceId.Contains("/Microsoft.Resources/deployments/", StringComparison.OrdinalIgnoreCase));

        await DeployAsync("rg-whatif-modules", template, parameters);
        var after = await WhatIfAsync("rg-whatif-modules", template, parameters);
        Assert.Equal(7, after.Count);
        Assert.All(after, c => Assert.Equal("NoChange", c.ChangeType));

        parameters["regions"] = Value(new JsonArray("westeurope", "northeurope", "swedencentral"));
        var grown = await WhatIfAsync("rg-whatif-modules", template, parameters);
        Assert.Equal(3, grown.Count(c => c.ChangeType == "Create"));
        Assert.Contains(grown, c => c.ChangeType == "Create" && c.ResourceId == Id("rg-whatif-modules", "Microsoft.Web/sites/demo-site-swedencentral"));
        Assert.Equal(7, grown.Count(c => c.ChangeType == "NoChange"));
    }

    [Fact]
    public async Task A_module_scoped_to_another_resource_group_deploys_its_resources_there()
    {
        await CreateResourceGroupAsync("rg-app");
        await CreateResourceGroupAsync("rg-shared");
        var template = await BicepCli.BuildStackAsync("cross-group");
        var parameters = new JsonObject { ["sharedGroup"] = Value("rg-shared") };

        var outputs = (await DeployAsync("rg-app", template, parameters))["outputs"]!;

        var shared = Assert.Single(Server.State.Resources(SubscriptionId, "rg-shared"));
        var local = Assert.Single(Server.State.Resources(SubscriptionId, "rg-app"));
        Assert.Equal(Output(outputs, "sharedAccount"), shared.Name);
        Assert.Equal(Output(outputs, "localAccount"), local.Name);
        Assert.Equal("shared", shared.Definition["tags"]!["owner"]!.GetValue<string>());
        // resourceGroup() in the module is the group it deploys to.
        Assert.Equal(StorageAccountName($"/subscriptions/{SubscriptionId}/resourceGroups/rg-shared", "shared"), shared.Name);
        Assert.All(await WhatIfAsync("rg-app", template, parameters), c => Assert.Equal("NoChange", c.ChangeType));
    }

    [Fact]
    public async Task A_module_for_a_missing_group_or_at_subscription_scope_is_refused_and_nothing_is_deployed()
    {
        await CreateResourceGroupAsync("rg-refuse");

        var crossGroup = await BicepCli.BuildStackAsync("cross-group");
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() =>
            DeployAsync("rg-refuse", crossGroup, new JsonObject { ["sharedGroup"] = Value("rg-nowhere") }));
        Assert.Equal(400, missing.Status);
        Assert.Equal("ResourceGroupNotFound", missing.ErrorCode);
        Assert.Contains("'rg-nowhere'", missing.Message, StringComparison.Ordinal);

        var subscriptionModule = await BicepCli.BuildStackAsync("subscription-module");
        var subscription = await Assert.ThrowsAsync<RequestFailedException>(() => DeployAsync("rg-refuse", subscriptionModule, []));
        Assert.Equal(400, subscription.Status);
        Assert.Equal("InvalidTemplate", subscription.ErrorCode);
        Assert.Contains("'groups' deploys at subscription, management group or tenant scope", subscription.Message, StringComparison.Ordinal);
        Assert.Contains("resource groups only", subscription.Message, StringComparison.Ordinal);

        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-refuse"));
        Assert.Empty(Server.State.Resources(SubscriptionId, "rg-refuse"));
    }

    private async Task<JsonNode> DeployAsync(string resourceGroup, JsonObject template, JsonObject parameters, string name = "estate-v1")
    {
        var operation = await Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, DeploymentId(resourceGroup, name), Templates.Generic(template, parameters));
        var properties = JsonNode.Parse(operation.Value.Data.Properties)!;
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        return properties;
    }

    private async Task<List<(string ResourceId, string ChangeType)>> WhatIfAsync(string resourceGroup, JsonObject template, JsonObject parameters)
    {
        var post = await Raw.SendAsync(RequestMethod.Post, DeploymentId(resourceGroup, "preview") + "/whatIf", Body(template, parameters));
        Assert.Equal(202, post.Status);
        var result = await Raw.PollAsync(post.Header("Location")!, TimeSpan.FromSeconds(10));
        return [.. result.Body!["properties"]!["changes"]!.AsArray().Select(c => (c!["resourceId"]!.GetValue<string>(), c["changeType"]!.GetValue<string>()))];
    }

    private static JsonObject Body(JsonObject template, JsonObject parameters) => Templates.Body(template, parameters);

    private string OwnerOf(string resourceGroup, string accountId) =>
        Server.State.Resources(SubscriptionId, resourceGroup).Single(r => r.Id == accountId).Definition["tags"]!["owner"]!.GetValue<string>();

    /// <summary>The storage module's account name for an owner in a group (the hash itself is checked against ARM's in <see cref="ArmHashTests"/>).</summary>
    private static string StorageAccountName(string groupId, string owner) =>
        TemplateModel.Read(JsonNode.Parse($$"""{ "outputs": { "name": { "type": "string", "value": "[format('st{0}', uniqueString('{{groupId}}', '{{owner}}'))]" } } }""")!.AsObject(),
            null, new DeploymentScope(SubscriptionId, "rg", "westeurope", "d")).Outputs["name"]!["value"]!.GetValue<string>();

    private static string Id(string resourceGroup, string typeAndName) =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup}/providers/{typeAndName}";

    private static string Output(JsonNode outputs, string name) => outputs[name]!["value"]!.GetValue<string>();

    private static JsonObject Value(JsonNode value) => new() { ["value"] = value };
}
