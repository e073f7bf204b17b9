using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>One resource a template deploys, with expressions evaluated where the test double can.</summary>
public sealed record TemplateResource(string Id, string Type, string Name, JsonObject Definition)
{
    /// <summary>The ids of the resources ARM deploys before this one (its <c>dependsOn</c>, followed through).</summary>
    public IReadOnlySet<string> DependsOn { get; init; } = new HashSet<string>();
}

/// <summary>
/// What the test double reads from an ARM JSON template: the resources it would deploy, in the
/// order ARM deploys them (array and symbolic-name forms, child resources, copy loops,
/// conditions, nested deployments: Bicep's modules), its outputs and its parameters.
/// </summary>
public sealed class TemplateModel
{
    private TemplateModel(IReadOnlyList<TemplateResource> resources, JsonObject outputs, JsonObject parameters)
    {
        Resources = resources;
        Outputs = outputs;
        Parameters = parameters;
    }

    /// <summary>The resources in deployment order, those of nested deployments (modules) among them.</summary>
    public IReadOnlyList<TemplateResource> Resources { get; }

    /// <summary>ARM's output shape: <c>{"name": {"type": "String", "value": ...}}</c>.</summary>
    public JsonObject Outputs { get; }

    /// <summary>ARM's echo of the parameters: <c>{"name": {"type": "String", "value": ...}}</c>.</summary>
    public JsonObject Parameters { get; }

    /// <param name="directory">The other resource groups and what is deployed in them; by default only <paramref name="scope"/>'s group, empty.</param>
    /// <exception cref="TemplateException">The template or its parameters are invalid (its <c>$schema</c> is not the resource group one, as
    /// every deployment here is at resource group scope), or use what the test double refuses.</exception>
    public static TemplateModel Read(JsonObject template, JsonObject? parameters, DeploymentScope scope, IResourceGroupDirectory? directory = null)
    {
        ResourceGroupSchema.Require(template);
        var evaluation = TemplateEvaluation.ForTemplate(template, parameters, scope, directory ?? new OwnGroupOnly(scope));
        return new TemplateModel(evaluation.Resources, evaluation.Outputs, evaluation.EchoParameters());
    }
}
