namespace Serverless.Pipeline.Tests.Build;

/// <summary>
/// The product deploys every stack to a resource group: a template for a subscription, a management group or the
/// tenant is refused at build, where its scope is declared, instead of being "deployed" into a resource group.
/// </summary>
public sealed class TemplateScopeTests : IDisposable
{
    private readonly StackInspections _inspections = new();

    [Theory]
    [InlineData("subscription", "subscriptionDeploymentTemplate.json")]
    [InlineData("managementGroup", "managementGroupDeploymentTemplate.json")]
    [InlineData("tenant", "tenantDeploymentTemplate.json")]
    public async Task A_Bicep_template_for_another_scope_is_refused_at_its_targetScope_line(string scope, string schemaFile)
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var commit = repo.Write("main.bicep", $$"""
            // The estate's policy, written for the wrong scope.

            targetScope = '{{scope}}'

            @description('Name of the policy definition.')
            param policyName string = 'require-https'

            resource httpsOnly 'Microsoft.Authorization/policyDefinitions@2023-04-01' = {
              name: policyName
              properties: {
                policyType: 'Custom'
                mode: 'All'
                policyRule: {
                  if: {
                    field: 'Microsoft.Web/sites/httpsOnly'
                    equals: false
                  }
                  then: {
                    effect: 'deny'
                  }
                }
              }
            }
            """).Commit($"A template at {scope} scope");

        var inspection = await _inspections.InspectAsync(repo, commit);

        Assert.False(inspection.Succeeded);
        var problem = Assert.Single(inspection.Problems, p => p.Source == "template");
        Assert.Equal(("main.bicep", "targetScope", 3, 1), (problem.File, problem.Field, problem.Line, problem.Column));
        Assert.Contains($"deploys at {scope} scope", problem.Message, StringComparison.Ordinal);
        Assert.Contains(schemaFile, problem.Message, StringComparison.Ordinal);
        Assert.Contains($"targetScope = '{scope}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("this product deploys every stack to a resource group", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ARM_template_of_the_subscription_schema_or_without_a_schema_is_refused()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var subscription = repo
            .Write("azuredeploy.json", """
                {
                  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "resources": []
                }
                """)
            .Edit("delivery.yaml", t => t.Replace("template: main.bicep", "template: azuredeploy.json"))
            .Commit("A subscription template");
        var unscoped = repo.Edit("azuredeploy.json", t => t.Replace("  \"$schema\": \"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#\",\n", ""))
            .Commit("A template without $schema");

        var refused = Assert.Single((await _inspections.InspectAsync(repo, subscription)).Problems, p => p.Source == "template");
        var unknown = Assert.Single((await _inspections.InspectAsync(repo, unscoped)).Problems, p => p.Source == "template");

        Assert.Equal(("azuredeploy.json", "$schema", 2, 3), (refused.File, refused.Field, refused.Line, refused.Column));
        Assert.Equal("The template deploys at subscription scope (its $schema is 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#'), "
            + "but this product deploys every stack to a resource group: use the resource group schema https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#.", refused.Message);
        Assert.Equal(("azuredeploy.json", "$schema"), (unknown.File, unknown.Field));
        Assert.StartsWith("The template has no \"$schema\"", unknown.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _inspections.Dispose();
}
