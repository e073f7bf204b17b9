using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Tests;

public sealed class TemplateModelTests
{
    private static readonly DeploymentScope Scope = new("sub", "rg", "westeurope", "dep");

    private static TemplateModel Read(string template, string? parameters = null) =>
        TemplateModel.Read(JsonNode.Parse(template)!.AsObject(), parameters is null ? null : JsonNode.Parse(parameters)!.AsObject(), Scope);

    [Fact]
    public void Names_are_evaluated_from_parameters_variables_and_functions()
    {
        var model = Read("""
        {
          "parameters": { "env": { "type": "string" }, "loc": { "type": "string", "defaultValue": "[resourceGroup().location]" } },
          "variables": { "base": "[toLower(concat('App-', parameters('env')))]" },
          "resources": [
            { "type": "Microsoft.Web/serverfarms", "name": "[format('{0}-plan', variables('base'))]", "location": "[parameters('loc')]" },
            { "type": "Microsoft.Storage/storageAccounts", "name": "[concat('st', uniqueString(resourceGroup().id))]",
              "resources": [ { "type": "blobServices", "name": "default" } ] }
          ],
          "outputs": {
            "plan": { "type": "string", "value": "[format('{0}-plan', variables('base'))]" },
            "env": { "type": "string", "value": "[parameters('env')]" },
            "count": { "type": "int", "value": 3 },
            "unknown": { "type": "string", "value": "[reference('x').y]" }
          }
        }
        """, """{ "env": { "value": "Prod" } }""");

        Assert.Equal("/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Web/serverfarms/app-prod-plan", model.Resources[0].Id);
        Assert.Equal("westeurope", model.Resources[0].Definition["location"]!.GetValue<string>());
        Assert.Matches("^st[a-z2-7]{13}$", model.Resources[1].Name);
        Assert.Equal($"{model.Resources[1].Id}/blobServices/default", model.Resources[2].Id);
        Assert.Equal("app-prod-plan", model.Outputs["plan"]!["value"]!.GetValue<string>());
        Assert.Equal("String", model.Outputs["env"]!["type"]!.GetValue<string>());
        Assert.Equal("Prod", model.Outputs["env"]!["value"]!.GetValue<string>());
        Assert.Equal(3, model.Outputs["count"]!["value"]!.GetValue<int>());
        Assert.Equal("[reference('x').y]", model.Outputs["unknown"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Copy_loops_conditions_and_symbolic_resources_are_understood()
    {
        var model = Read("""
        {
          "languageVersion": "2.0",
          "parameters": { "withCache": { "type": "bool", "defaultValue": false } },
          "resources": {
            "sites": { "type": "Microsoft.Web/sites", "name": "[format('site{0}', copyIndex(1))]", "copy": { "name": "sites", "count": 2 } },
            "cache": { "type": "Microsoft.Cache/redis", "name": "cache", "condition": "[parameters('withCache')]" },
            "vault": { "type": "Microsoft.KeyVault/vaults", "name": "shared", "existing": true },
            "escaped": { "type": "Microsoft.Web/sites", "name": "[[literal]" }
          }
        }
        """);

        Assert.Equal(["site1", "site2", "[literal]"], model.Resources.Select(r => r.Name));
    }

    [Fact]
    public void A_missing_or_unknown_parameter_is_an_InvalidTemplate()
    {
        const string template = """{ "parameters": { "name": { "type": "string" } }, "resources": [] }""";

        var missing = Assert.Throws<TemplateException>(() => Read(template));
        Assert.Equal("InvalidTemplate", missing.Code);
        Assert.Contains("'name'", missing.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<TemplateException>(() => Read(template, """{ "name": { "value": "a" }, "extra": { "value": 1 } }"""));
        Assert.Contains("extra", unknown.Message, StringComparison.Ordinal);
    }
}
