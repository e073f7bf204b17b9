using System.Text;
using System.Text.Json.Nodes;

namespace Serverless.Pipeline.Build;

/// <summary>
/// The product deploys every template to a resource group (ARM deployments at resource-group scope). ARM refuses a
/// template written for a subscription, a management group or the tenant there; the build refuses it first, before
/// any stage deploys it. The scope is read from the template's <c>$schema</c>,
/// which the Bicep CLI writes from <c>targetScope</c>; a Bicep problem points at that line.
/// </summary>
public static class TemplateScopeCheck
{
    public const string ResourceGroupSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

    private static readonly (string SchemaFile, string Scope)[] Scopes =
    [
        ("/deploymentTemplate.json", "resourceGroup"),
        ("/subscriptionDeploymentTemplate.json", "subscription"),
        ("/managementGroupDeploymentTemplate.json", "managementGroup"),
        ("/tenantDeploymentTemplate.json", "tenant"),
    ];

    /// <param name="template">The ARM JSON template, as written or as compiled.</param>
    /// <param name="bicepSource">The Bicep file the template was compiled from, for the line of its <c>targetScope</c>; null for ARM JSON.</param>
    public static BuildProblem? Check(string template, string templateFile, string? bicepSource)
    {
        var schema = JsonNode.Parse(template)?["$schema"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (schema is null)
            return new BuildProblem("template", templateFile, 0, 0, "$schema",
                $"The template has no \"$schema\": ARM reads the deployment's scope from it. This product deploys every stack to a resource group; give \"$schema\": \"{ResourceGroupSchema}\".");
        var scope = ScopeOf(schema);
        if (scope == "resourceGroup") return null;

        var found = scope is null ? $"an unknown deployment scope (its $schema is '{schema}')" : $"{scope} scope (its $schema is '{schema}')";
        if (bicepSource is null)
        {
            var (schemaLine, schemaColumn) = JsonPropertyPositions.Read(Encoding.UTF8.GetBytes(template)).Find(null, "$schema");
            return new BuildProblem("template", templateFile, schemaLine, schemaColumn, "$schema",
                $"The template deploys at {found}, but this product deploys every stack to a resource group: use the resource group schema {ResourceGroupSchema}.");
        }
        var (line, column, declared) = TargetScopeOf(bicepSource);
        return new BuildProblem("template", templateFile, line, column, "targetScope",
            $"The template deploys at {found}{(declared is null ? "" : $", from targetScope = '{declared}'")}, but this product deploys every stack to a resource group: "
            + "remove targetScope or set it to 'resourceGroup' (modules may still deploy to other resource groups).");
    }

    /// <summary>The deployment scope a template's <c>$schema</c> is for, or null when it is none of ARM's four.</summary>
    public static string? ScopeOf(string schema)
    {
        var path = schema.Split('#')[0].TrimEnd('/');
        return Scopes.FirstOrDefault(s => path.EndsWith(s.SchemaFile, StringComparison.OrdinalIgnoreCase)).Scope;
    }

    private static (int Line, int Column, string? Value) TargetScopeOf(string bicepSource)
    {
        IReadOnlyList<BicepToken> tokens;
        try
        {
            tokens = BicepLexer.Read(bicepSource);
        }
        catch (BicepSyntaxException)
        {
            return (0, 0, null);
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is not { Kind: BicepTokenKind.Name, Text: "targetScope" } declaration) continue;
            var value = i + 2 < tokens.Count && tokens[i + 1].Text == "=" && tokens[i + 2].Kind == BicepTokenKind.PlainString ? tokens[i + 2].Text : null;
            return (declaration.Line, declaration.Column, value);
        }
        return (0, 0, null);
    }
}
