using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// A nested deployment (a <c>Microsoft.Resources/deployments</c> resource with an inline
/// <c>properties.template</c>; Bicep makes one of every module). With
/// <c>expressionEvaluationOptions.scope: inner</c> its template is evaluated on its own: its own
/// parameters (the values of <c>properties.parameters</c>, evaluated in the parent first), variables,
/// functions, resources and outputs; otherwise (legacy <c>outer</c>) with the parent's parameters
/// and variables. Its resources become resources of the group it targets, as in ARM. It may target
/// another existing resource group (<c>resourceGroup</c>, <c>subscriptionId</c>); the test double
/// refuses subscription, management group and tenant scopes, <c>templateLink</c> and mode Complete.
/// </summary>
internal sealed class NestedDeployment
{
    private readonly ResourceInstance instance;
    private readonly TemplateEvaluation evaluation;
    private readonly JsonObject parameters;

    private NestedDeployment(ResourceInstance instance, TemplateEvaluation evaluation, JsonObject parameters)
    {
        this.instance = instance;
        this.evaluation = evaluation;
        this.parameters = parameters;
    }

    public IReadOnlyList<TemplateResource> Resources => evaluation.Resources;

    public static NestedDeployment Evaluate(ResourceInstance instance)
    {
        var properties = instance.Declaration["properties"] as JsonObject ?? [];
        if (properties.ContainsKey("templateLink"))
            throw Refused(instance, "links its template (templateLink); LocalArm, a test double, deploys inline nested templates (properties.template) only");
        if (properties["template"] is not JsonObject template)
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The nested deployment '{instance.Name}' has no properties.template.'");
        if (Text(EvaluateDeep(properties["mode"], instance.Context)).Equals("Complete", StringComparison.OrdinalIgnoreCase))
            throw Refused(instance, "is in mode Complete; LocalArm, a test double, deploys nested templates in mode Incremental only");
        var scope = TargetScope(instance, template);
        var directory = instance.Owner.Directory;
        if (!Text(properties["expressionEvaluationOptions"]?["scope"]).Equals("inner", StringComparison.OrdinalIgnoreCase))
            return new NestedDeployment(instance, TemplateEvaluation.InOuterScope(template, instance.Context, scope, directory), []);
        var supplied = EvaluateDeep(properties["parameters"], instance.Context) as JsonObject;
        var evaluation = TemplateEvaluation.ForTemplate(template, supplied, scope, directory);
        return new NestedDeployment(instance, evaluation, evaluation.EchoParameters());
    }

    /// <summary>What <c>reference()</c> of the deployment gives: its properties, outputs among them.</summary>
    public JsonObject Reference(bool full)
    {
        var properties = new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["mode"] = "Incremental",
            ["parameters"] = parameters.DeepClone(),
            ["outputs"] = evaluation.Outputs.DeepClone(),
            ["outputResources"] = new JsonArray([.. Resources.Select(r => new JsonObject { ["id"] = r.Id })]),
        };
        return full
            ? new JsonObject { ["id"] = instance.Id, ["name"] = instance.Name, ["type"] = ResourceInstance.DeploymentType, ["properties"] = properties }
            : properties;
    }

    private static DeploymentScope TargetScope(ResourceInstance instance, JsonObject template)
    {
        var declaration = instance.Declaration;
        if (declaration.ContainsKey("scope")
            || (declaration.ContainsKey("subscriptionId") && !declaration.ContainsKey("resourceGroup"))
            || !ResourceGroupSchema.Accepts(template))
            throw Refused(instance, "deploys at subscription, management group or tenant scope; LocalArm, a test double, deploys nested templates to resource groups only");
        var parent = instance.Context.Scope;
        // The deployment's id names the group it targets (see TemplateEvaluation).
        var (subscriptionId, resourceGroup) = ResourceIds.GroupNamesOf(instance.Id)!.Value;
        if (parent.SameGroup(subscriptionId, resourceGroup))
            return parent with { DeploymentName = instance.Name };
        var location = instance.Owner.Directory.LocationOf(subscriptionId, resourceGroup)
            ?? throw new TemplateException("ResourceGroupNotFound",
                $"Resource group '{resourceGroup}' (subscription '{subscriptionId}') could not be found: the nested deployment '{instance.Name}' deploys to it.");
        return new DeploymentScope(subscriptionId, resourceGroup, location, instance.Name);
    }

    private static TemplateException Refused(ResourceInstance instance, string why) =>
        new("InvalidTemplate", $"Deployment template validation failed: 'The nested deployment '{instance.Name}' {why}.'");
}
