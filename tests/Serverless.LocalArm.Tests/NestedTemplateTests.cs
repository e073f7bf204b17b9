using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Tests;

/// <summary>Nested deployments in hand-written ARM JSON: the two scopes, conditions, cycles, and what the test double refuses.</summary>
public sealed class NestedTemplateTests
{
    private static readonly DeploymentScope Scope = new("sub", "rg", "westeurope", "dep");

    /// <summary>A template with one nested deployment 'inner-one' and an output that reads the nested deployment's output 'site'.</summary>
    private static string Parent(string properties, string condition = "") => $$"""
        {
          "parameters": { "env": { "type": "string", "defaultValue": "prod" } },
          "variables": { "suffix": "outer" },
          "resources": [
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner-one", {{condition}}
              "properties": {{properties}} }
          ],
          "outputs": {
            "site": { "type": "string", "value": "[reference(resourceId('Microsoft.Resources/deployments', 'inner-one'), '2022-09-01').outputs.site.value]" }
          }
        }
        """;

    private const string SiteTemplate = """
        {
          "parameters": { "env": { "type": "string" } },
          "variables": { "suffix": "inner" },
          "resources": [ { "type": "Microsoft.Web/sites", "name": "[format('site-{0}-{1}-{2}', parameters('env'), variables('suffix'), deployment().name)]" } ],
          "outputs": { "site": { "type": "string", "value": "[format('site-{0}-{1}', parameters('env'), variables('suffix'))]" } }
        }
        """;

    private const string InnerScope = """
        "expressionEvaluationOptions": { "scope": "inner" }, "mode": "Incremental"
        """;

    private static TemplateModel Read(string template) => TemplateModel.Read(JsonNode.Parse(template)!.AsObject(), null, Scope);

    [Fact]
    public void A_nested_template_of_inner_scope_has_its_own_parameters_variables_and_deployment_name()
    {
        var model = Read(Parent($$"""
            { {{InnerScope}}, "parameters": { "env": { "value": "[toUpper(parameters('env'))]" } }, "template": {{SiteTemplate}} }
            """));

        Assert.Equal(["site-PROD-inner-inner-one"], model.Resources.Select(r => r.Name));
        Assert.Equal("site-PROD-inner", model.Outputs["site"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void A_nested_template_of_outer_scope_sees_the_parents_parameters_and_variables()
    {
        var model = Read(Parent("""
            {
              "mode": "Incremental",
              "template": {
                "resources": [ { "type": "Microsoft.Web/sites", "name": "[format('site-{0}-{1}', parameters('env'), variables('suffix'))]" } ],
                "outputs": { "site": { "type": "string", "value": "[variables('suffix')]" } }
              }
            }
            """));

        Assert.Equal(["site-prod-outer"], model.Resources.Select(r => r.Name));
        Assert.Equal("outer", model.Outputs["site"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void A_nested_template_of_inner_scope_does_not_see_the_parents_parameters()
    {
        var error = Assert.Throws<TemplateException>(() => Read(Parent($$"""
            { {{InnerScope}}, "template": { "resources": [ { "type": "Microsoft.Web/sites", "name": "[parameters('env')]" } ] } }
            """)));

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("'env' is not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_whose_condition_is_false_is_skipped_and_an_if_may_guard_its_outputs()
    {
        var template = Parent($$"""
            { {{InnerScope}}, "parameters": { "env": { "value": "x" } }, "template": {{SiteTemplate}} }
            """, condition: "\"condition\": \"[equals(parameters('env'), 'test')]\",");

        var error = Assert.Throws<TemplateException>(() => Read(template));
        Assert.Contains("not deployed: its condition is false", error.Message, StringComparison.Ordinal);

        var guarded = Read(template
            .Replace("\"[reference(", "\"[if(equals(parameters('env'), 'test'), reference(", StringComparison.Ordinal)
            .Replace(".outputs.site.value]", ".outputs.site.value, 'none')]", StringComparison.Ordinal));
        Assert.Empty(guarded.Resources);
        Assert.Equal("none", guarded.Outputs["site"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Resources_that_depend_on_each_other_in_a_circle_are_an_InvalidTemplate()
    {
        var error = Assert.Throws<TemplateException>(() => Read("""
            {
              "resources": [
                { "type": "Microsoft.Web/sites", "name": "a", "dependsOn": [ "[resourceId('Microsoft.Web/sites', 'b')]" ] },
                { "type": "Microsoft.Web/sites", "name": "b", "dependsOn": [ "Microsoft.Web/sites/a" ] }
              ]
            }
            """));

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("Circular dependency", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "mode": "Incremental", "templateLink": { "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Resources/templateSpecs/t/versions/1" } }""", "templateLink")]
    [InlineData("""{ "mode": "Complete", "expressionEvaluationOptions": { "scope": "inner" }, "template": { "resources": [] } }""", "mode Complete")]
    public void A_linked_or_Complete_nested_deployment_is_refused_clearly(string properties, string why)
    {
        var error = Assert.Throws<TemplateException>(() => Read(Parent(properties)));

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("'inner-one'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalArm, a test double", error.Message, StringComparison.Ordinal);
    }
}
