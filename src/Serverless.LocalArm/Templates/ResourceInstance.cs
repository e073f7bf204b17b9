using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// One resource of a template as ARM deploys it: one iteration of a copy loop, with its type,
/// name and id known up front, its condition and definition (or, for a nested deployment, its
/// nested evaluation) computed once, when first needed.
/// </summary>
internal sealed class ResourceInstance
{
    public const string DeploymentType = "Microsoft.Resources/deployments";

    private static readonly string[] NotPartOfDefinition = ["resources", "copy", "condition", "dependsOn", "comments", "metadata", "existing"];

    private bool? included;
    private bool evaluating;
    private JsonObject? definition;
    private NestedDeployment? nested;

    public ResourceInstance(TemplateEvaluation owner, JsonObject declaration, TemplateContext context, ResourceInstance? parent, string type, string name, string id)
    {
        Owner = owner;
        Declaration = declaration;
        Context = context;
        Parent = parent;
        Type = type;
        Name = name;
        Id = id;
    }

    public TemplateEvaluation Owner { get; }

    public JsonObject Declaration { get; }

    /// <summary>The context of this iteration (its copy index).</summary>
    public TemplateContext Context { get; }

    /// <summary>The resource this one is declared inside of (a child resource), if any.</summary>
    public ResourceInstance? Parent { get; }

    public string Type { get; }

    public string Name { get; }

    public string Id { get; }

    public bool IsDeployment => Type.Equals(DeploymentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>False when its condition (or its parent's) is false: ARM skips it.</summary>
    public bool Included => included ??= (Parent?.Included ?? true) && TemplateEvaluation.Holds(Declaration, Context);

    /// <summary>The evaluated definition of a resource (not a nested deployment).</summary>
    public JsonObject Definition => Evaluated().definition ?? throw new InvalidOperationException($"{Id} is a nested deployment.");

    /// <summary>The evaluation of a nested deployment.</summary>
    public NestedDeployment Nested => Evaluated().nested ?? throw new InvalidOperationException($"{Id} is not a nested deployment.");

    /// <summary>What <c>reference()</c> gives: the resource's properties, or with <paramref name="full"/> the whole of it.</summary>
    public JsonNode Reference(bool full)
    {
        if (IsDeployment)
            return Nested.Reference(full);
        return full ? Definition.DeepClone() : Definition["properties"]?.DeepClone() ?? new JsonObject();
    }

    private ResourceInstance Evaluated()
    {
        if (definition is not null || nested is not null)
            return this;
        if (evaluating)
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'Circular dependency detected on resource: '{Id}'.'");
        evaluating = true;
        try
        {
            if (IsDeployment)
                nested = NestedDeployment.Evaluate(this);
            else
                definition = BuildDefinition();
            return this;
        }
        finally
        {
            evaluating = false;
        }
    }

    private JsonObject BuildDefinition()
    {
        var built = new JsonObject();
        foreach (var (key, value) in Declaration)
        {
            if (!NotPartOfDefinition.Contains(key, StringComparer.OrdinalIgnoreCase))
                built[key] = ExpressionEvaluator.EvaluateDeep(value, Context);
        }
        built["type"] = Type;
        built["name"] = Name;
        built["id"] = Id;
        return built;
    }
}
