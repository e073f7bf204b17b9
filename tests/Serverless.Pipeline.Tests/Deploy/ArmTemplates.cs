using System.Security.Cryptography;
using Serverless.LocalServices;
using Serverless.Pipeline.Build;

namespace Serverless.Pipeline.Tests.Deploy;

/// <summary>Templates for the deployer tests: the sample stack compiled by the real Bicep CLI, and a small inline one.</summary>
internal static class ArmTemplates
{
    private static readonly Lazy<Task<string>> Sample = new(CompileSampleAsync);

    public static string SampleRoot => Path.Combine(RepositoryRoot.Path, "samples", "sample-network");

    /// <summary><c>samples/sample-network/main.bicep</c> as ARM JSON.</summary>
    public static Task<string> SampleNetworkAsync() => Sample.Value;

    public static string SampleParameters(string environment) =>
        File.ReadAllText(Path.Combine(SampleRoot, "parameters", environment + ".json"));

    /// <summary>A storage account and a site named from <c>prefix</c>, with outputs; optionally a third resource.</summary>
    public static string StorageAndSite(bool withQueue = false)
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
            "answer": { "type": "int", "value": 42 }
          }
        }
        """)!;
        if (withQueue)
        {
            template["resources"]!.AsArray().Add(JsonNode.Parse("""
            { "type": "Microsoft.ServiceBus/namespaces", "apiVersion": "2022-10-01-preview",
              "name": "[concat(parameters('prefix'), '-bus')]", "location": "[resourceGroup().location]" }
            """));
        }
        return template.ToJsonString();
    }

    /// <summary>A deployment parameters file, as a stack's <c>parameters/{env}.json</c> is.</summary>
    public static string ParametersFile(string prefix) => $$"""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "prefix": { "value": "{{prefix}}" } }
        }
        """;

    /// <summary>
    /// Compiles the sample with the real Bicep CLI. The result is kept in the temp folder under a hash of
    /// main.bicep and the compiler's path (which holds its version): the CLI takes seconds to start.
    /// </summary>
    private static async Task<string> CompileSampleAsync()
    {
        var source = Path.Combine(SampleRoot, "main.bicep");
        var options = new BuildOptions();
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.BicepPath + "\n" + await File.ReadAllTextAsync(source))))[..16];
        var cached = Path.Combine(Path.GetTempPath(), "serverless-pipeline-tests", $"sample-network-{key}.json");
        if (File.Exists(cached))
            return await File.ReadAllTextAsync(cached);
        var compiled = await new BicepCompiler(Options.Create(options)).CompileAsync(source, LintPolicy.None);
        var template = compiled.Template ?? throw new InvalidOperationException("Bicep failed on the sample stack:\n" + compiled.RawOutput);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        var temporary = $"{cached}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, template);
        File.Move(temporary, cached, overwrite: true);
        return template;
    }
}
