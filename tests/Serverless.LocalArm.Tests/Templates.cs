using Azure.ResourceManager.Resources;

namespace Serverless.LocalArm.Tests;

/// <summary>Sample ARM JSON templates and the request bodies that carry them.</summary>
internal static class Templates
{
    /// <summary>A storage account named from a parameter, a site, and outputs (literal and parameter).</summary>
    public static JsonObject StorageAndSite(bool withQueue = false)
    {
        var template = JsonNode.Parse("""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {
            "prefix": { "type": "string" },
            "sku": { "type": "string", "defaultValue": "Standard_LRS" }
          },
          "variables": { "accountName": "[concat(parameters('prefix'), 'store')]" },
          "resources": [
            {
              "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
              "name": "[variables('accountName')]", "location": "[resourceGroup().location]",
              "sku": { "name": "[parameters('sku')]" }, "kind": "StorageV2"
            },
            {
              "type": "Microsoft.Web/sites", "apiVersion": "2023-01-01",
              "name": "[format('{0}-app', parameters('prefix'))]", "location": "[resourceGroup().location]",
              "properties": { "httpsOnly": true }
            }
          ],
          "outputs": {
            "accountName": { "type": "string", "value": "[variables('accountName')]" },
            "prefix": { "type": "string", "value": "[parameters('prefix')]" },
            "answer": { "type": "int", "value": 42 }
          }
        }
        """)!.AsObject();
        if (withQueue)
        {
            template["resources"]!.AsArray().Add(JsonNode.Parse("""
            { "type": "Microsoft.ServiceBus/namespaces", "apiVersion": "2022-10-01-preview",
              "name": "[concat(parameters('prefix'), '-bus')]", "location": "[resourceGroup().location]" }
            """));
        }
        return template;
    }

    public static JsonObject Parameters(string prefix, string? sku = null)
    {
        var parameters = new JsonObject { ["prefix"] = new JsonObject { ["value"] = prefix } };
        if (sku is not null)
            parameters["sku"] = new JsonObject { ["value"] = sku };
        return parameters;
    }

    /// <summary>The body of a deployment PUT or a what-if POST.</summary>
    public static JsonObject Body(JsonObject template, JsonObject parameters, string mode = "Incremental") => new()
    {
        ["properties"] = new JsonObject
        {
            ["mode"] = mode,
            ["template"] = template.DeepClone(),
            ["parameters"] = parameters.DeepClone(),
        },
    };

    /// <summary>The same body as a GenericResourceData, for GenericResourceCollection.CreateOrUpdateAsync.</summary>
    public static GenericResourceData Generic(JsonObject template, JsonObject parameters, string mode = "Incremental") =>
        new(AzureLocation.WestEurope) { Properties = BinaryData.FromString(Body(template, parameters, mode)["properties"]!.ToJsonString()) };
}
