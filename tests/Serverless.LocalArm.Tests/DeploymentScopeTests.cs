using System.Text.Json.Nodes;
using Azure;
using Azure.Core;

namespace Serverless.LocalArm.Tests;

/// <summary>
/// A deployment to a resource group takes a template of the resource group schema; a subscription, management group
/// or tenant template is refused as ARM refuses it (400 InvalidTemplate), and nothing is deployed.
/// </summary>
public sealed class DeploymentScopeTests : LocalArmTestBase
{
    [Fact]
    public async Task A_compiled_subscription_stack_deployed_to_a_resource_group_is_refused_and_nothing_is_deployed()
    {
        await CreateResourceGroupAsync("rg-scope");
        var template = await BicepCli.BuildStackAsync("subscription-estate");

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetGenericResources()
            .CreateOrUpdateAsync(WaitUntil.Completed, DeploymentId("rg-scope", "estate-v1"), Templates.Generic(template, [])));

        Assert.Equal(400, refused.Status);
        Assert.Equal("InvalidTemplate", refused.ErrorCode);
        Assert.Contains("Template schema 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#' is not supported for a deployment at resource group scope",
            refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-scope"));
        Assert.Empty(Server.State.Resources(SubscriptionId, "rg-scope"));
        Assert.Equal(404, (await Raw.SendAsync(RequestMethod.Get, DeploymentId("rg-scope", "estate-v1").ToString())).Status);
    }

    [Theory]
    [InlineData("https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#")]
    [InlineData("https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#")]
    [InlineData("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#")]
    public async Task A_deployment_or_what_if_of_another_scopes_template_answers_ARMs_error(string schema)
    {
        await CreateResourceGroupAsync("rg-scope");
        var body = Templates.Body(Template(schema), []);

        var put = await Raw.SendAsync(RequestMethod.Put, DeploymentId("rg-scope", "other-scope").ToString(), body);
        var whatIf = await Raw.SendAsync(RequestMethod.Post, DeploymentId("rg-scope", "other-scope") + "/whatIf", body);

        foreach (var reply in new[] { put, whatIf })
        {
            Assert.Equal(400, reply.Status);
            Assert.Equal("InvalidTemplate", reply.Body!["error"]!["code"]!.GetValue<string>());
            Assert.StartsWith($"Deployment template validation failed: 'Template schema '{schema}' is not supported", reply.Body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(0, Server.Stats().DeploymentsIn("rg-scope"));
    }

    [Theory]
    [InlineData("https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#")]
    [InlineData("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")]
    public async Task Both_resource_group_schemas_deploy(string schema)
    {
        await CreateResourceGroupAsync("rg-scope");

        var operation = await Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, DeploymentId("rg-scope", "group-scope"), Templates.Generic(Template(schema), []));

        Assert.Equal("Succeeded", JsonNode.Parse(operation.Value.Data.Properties)!["provisioningState"]!.GetValue<string>());
        Assert.Single(Server.State.Resources(SubscriptionId, "rg-scope"));
    }

    private static JsonObject Template(string schema) => new()
    {
        ["$schema"] = schema,
        ["contentVersion"] = "1.0.0.0",
        ["resources"] = new JsonArray(new JsonObject
        {
            ["type"] = "Microsoft.Authorization/locks",
            ["apiVersion"] = "2020-05-01",
            ["name"] = "keep",
            ["properties"] = new JsonObject { ["level"] = "CanNotDelete" },
        }),
    };
}
