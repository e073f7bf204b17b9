using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>One resource a template declares, with expressions evaluated where the test double can.</summary>
public sealed record TemplateResource(string Id, string Type, string Name, JsonObject Definition);

/// <summary>
/// What the test double reads from an ARM JSON template: the resources it would deploy (array
/// form, symbolic-name form of languageVersion 2.0, nested child resources, simple copy loops,
/// conditions) and its outputs.
/// </summary>
public sealed class TemplateModel
{
    private static readonly string[] NotPartOfDefinition = ["resources", "copy", "condition", "dependsOn", "comments", "metadata", "existing"];

    private TemplateModel(IReadOnlyList<TemplateResource> resources, JsonObject outputs, JsonObject parameters)
    {
        Resources = resources;
        Outputs = outputs;
        Parameters = parameters;
    }

    public IReadOnlyList<TemplateResource> Resources { get; }

    /// <summary>ARM's output shape: <c>{"name": {"type": "String", "value": ...}}</c>.</summary>
    public JsonObject Outputs { get; }

    /// <summary>ARM's echo of the parameters: <c>{"name": {"type": "String", "value": ...}}</c>.</summary>
    public JsonObject Parameters { get; }

    /// <exception cref="TemplateException">The template or its parameters are invalid.</exception>
    public static TemplateModel Read(JsonObject template, JsonObject? parameters, DeploymentScope scope)
    {
        var context = new TemplateContext(template, parameters, scope);
        CheckParameters(context, parameters);
        var resources = new List<TemplateResource>();
        Collect(template["resources"], context, parentType: null, parentName: null, resources);
        return new TemplateModel(resources, ReadOutputs(template, context), EchoParameters(context));
    }

    private static void CheckParameters(TemplateContext context, JsonObject? supplied)
    {
        var unknown = (supplied ?? []).Select(p => p.Key).Where(name => TemplateContext.Find(context.DeclaredParameters, name) is null).ToList();
        if (unknown.Count > 0)
            throw new TemplateException("InvalidTemplate",
                $"Deployment template validation failed: 'The template parameters '{string.Join(", ", unknown)}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time.'");
        foreach (var (name, _) in context.DeclaredParameters)
            context.Parameter(name);
    }

    private static void Collect(JsonNode? declared, TemplateContext context, string? parentType, string? parentName, List<TemplateResource> into)
    {
        IEnumerable<JsonObject> items = declared switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var item in items)
        {
            if (item["existing"] is JsonValue existing && existing.GetValueKind() == JsonValueKind.True)
                continue;
            foreach (var itemContext in CopyContexts(item, context))
            {
                if (!Included(item, itemContext))
                    continue;
                var type = ExpressionEvaluator.Text(ExpressionEvaluator.EvaluateDeep(item["type"], itemContext));
                var name = ExpressionEvaluator.Text(ExpressionEvaluator.EvaluateDeep(item["name"], itemContext));
                if (parentType is not null && !type.Split('/')[0].Contains('.', StringComparison.Ordinal))
                {
                    type = $"{parentType}/{type}";
                    name = $"{parentName}/{name}";
                }
                var definition = new JsonObject();
                foreach (var (key, value) in item)
                {
                    if (!NotPartOfDefinition.Contains(key, StringComparer.OrdinalIgnoreCase))
                        definition[key] = ExpressionEvaluator.EvaluateDeep(value, itemContext);
                }
                definition["type"] = type;
                definition["name"] = name;
                var id = itemContext.Scope.ResourceId(type, name);
                definition["id"] = id;
                into.Add(new TemplateResource(id, type, name, definition));
                Collect(item["resources"], itemContext, type, name, into);
            }
        }
    }

    private static IEnumerable<TemplateContext> CopyContexts(JsonObject item, TemplateContext context)
    {
        if (item["copy"] is not JsonObject copy)
            return [context];
        try
        {
            var count = ExpressionEvaluator.Integer(ExpressionEvaluator.EvaluateDeep(copy["count"], context));
            return Enumerable.Range(0, (int)count).Select(context.WithCopyIndex);
        }
        catch (Exception e) when (e is not TemplateException)
        {
            return [context.WithCopyIndex(0)];
        }
    }

    private static bool Included(JsonObject item, TemplateContext context)
    {
        if (!item.ContainsKey("condition"))
            return true;
        try
        {
            return ExpressionEvaluator.Boolean(ExpressionEvaluator.EvaluateDeep(item["condition"], context));
        }
        catch (Exception e) when (e is not TemplateException)
        {
            return true;
        }
    }

    private static JsonObject ReadOutputs(JsonObject template, TemplateContext context)
    {
        var outputs = new JsonObject();
        foreach (var (name, node) in template["outputs"] as JsonObject ?? [])
        {
            if (node is not JsonObject output || !Included(output, context))
                continue;
            var type = ExpressionEvaluator.Text(output["type"]);
            if (type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                continue;
            outputs[name] = new JsonObject
            {
                ["type"] = ArmTypeName(type),
                ["value"] = ExpressionEvaluator.EvaluateDeep(output["value"], context),
            };
        }
        return outputs;
    }

    private static JsonObject EchoParameters(TemplateContext context)
    {
        var echo = new JsonObject();
        foreach (var (name, node) in context.DeclaredParameters)
        {
            var type = ExpressionEvaluator.Text((node as JsonObject)?["type"]);
            var entry = new JsonObject { ["type"] = ArmTypeName(type) };
            if (!type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                entry["value"] = context.Parameter(name);
            echo[name] = entry;
        }
        return echo;
    }

    private static string ArmTypeName(string type) => type.Length == 0 ? "String" : char.ToUpperInvariant(type[0]) + type[1..];
}
