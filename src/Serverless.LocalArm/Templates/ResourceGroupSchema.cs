using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// Whether a template's <c>$schema</c> is ARM's resource group deployment schema (<c>.../deploymentTemplate.json#</c>),
/// the one a deployment to a resource group takes; the subscription, management group and tenant schemas are other
/// files. A template without <c>$schema</c> is taken as a resource group template, as hand-written nested ones often are.
/// </summary>
internal static class ResourceGroupSchema
{
    public static bool Accepts(JsonObject template)
    {
        var schema = Text(template["$schema"]);
        return schema.Length == 0 || schema.Split('#')[0].TrimEnd('/').EndsWith("/deploymentTemplate.json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>ARM's answer to a deployment or what-if at resource group scope of a template for another scope.</summary>
    public static void Require(JsonObject template)
    {
        if (!Accepts(template))
            throw new TemplateException("InvalidTemplate",
                $"Deployment template validation failed: 'Template schema '{Text(template["$schema"])}' is not supported for a deployment at resource group scope: "
                + "it is the schema of subscription, management group or tenant deployments; a resource group deployment takes "
                + "'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'. Please see https://aka.ms/arm-template for usage details.'.");
    }
}
