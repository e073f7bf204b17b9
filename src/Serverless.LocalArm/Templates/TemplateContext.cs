using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// What expressions in one template can see: parameters (supplied values, else evaluated
/// defaults), variables (evaluated lazily, once), the scope, and the current copy index.
/// </summary>
internal sealed class TemplateContext
{
    private readonly JsonObject declaredParameters;
    private readonly JsonObject declaredVariables;
    private readonly JsonObject suppliedParameters;
    private readonly Dictionary<string, JsonNode?> resolved;
    private readonly HashSet<string> resolving;

    public TemplateContext(JsonObject template, JsonObject? supplied, DeploymentScope scope)
    {
        declaredParameters = template["parameters"] as JsonObject ?? [];
        declaredVariables = template["variables"] as JsonObject ?? [];
        suppliedParameters = supplied ?? [];
        resolved = new(StringComparer.OrdinalIgnoreCase);
        resolving = new(StringComparer.OrdinalIgnoreCase);
        Scope = scope;
    }

    private TemplateContext(TemplateContext parent, int copyIndex)
    {
        declaredParameters = parent.declaredParameters;
        declaredVariables = parent.declaredVariables;
        suppliedParameters = parent.suppliedParameters;
        resolved = parent.resolved;
        resolving = parent.resolving;
        Scope = parent.Scope;
        CopyIndex = copyIndex;
    }

    public DeploymentScope Scope { get; }

    public int? CopyIndex { get; }

    public TemplateContext WithCopyIndex(int index) => new(this, index);

    public JsonObject DeclaredParameters => declaredParameters;

    public JsonNode? Parameter(string name) => Resolve("parameters:" + name, () =>
    {
        if (Find(suppliedParameters, name) is JsonObject supplied && supplied.ContainsKey("value"))
            return supplied["value"]?.DeepClone();
        if (Find(declaredParameters, name) is not JsonObject declared)
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The template parameter '{name}' is not found.'");
        if (!declared.ContainsKey("defaultValue"))
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The value for the template parameter '{name}' is not provided.'");
        return ExpressionEvaluator.EvaluateDeep(declared["defaultValue"], this);
    });

    public JsonNode? Variable(string name) => Resolve("variables:" + name, () =>
    {
        if (!TryFind(declaredVariables, name, out var value))
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The template variable '{name}' is not found.'");
        return ExpressionEvaluator.EvaluateDeep(value, this);
    });

    private JsonNode? Resolve(string key, Func<JsonNode?> compute)
    {
        if (resolved.TryGetValue(key, out var known))
            return known?.DeepClone();
        if (!resolving.Add(key))
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: circular reference through {key}.");
        try
        {
            var value = compute();
            resolved[key] = value;
            return value?.DeepClone();
        }
        finally
        {
            resolving.Remove(key);
        }
    }

    internal static JsonNode? Find(JsonObject container, string name) => TryFind(container, name, out var value) ? value : null;

    internal static bool TryFind(JsonObject container, string name, out JsonNode? value)
    {
        foreach (var (key, node) in container)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = node;
                return true;
            }
        }
        value = null;
        return false;
    }
}
