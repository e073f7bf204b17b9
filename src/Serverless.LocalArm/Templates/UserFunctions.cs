using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// A template's user-defined functions (<c>functions: [{namespace, members}]</c>; Bicep's
/// <c>func</c> compiles to the namespace <c>__bicep</c>), called as <c>namespace.name(...)</c>.
/// Each template has its own: a nested template sees only the functions it declares.
/// </summary>
internal sealed class UserFunctions
{
    private readonly Dictionary<string, JsonObject> members;

    private UserFunctions(Dictionary<string, JsonObject> members) => this.members = members;

    public static UserFunctions Read(JsonObject template)
    {
        var members = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in (template["functions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ns = ExpressionEvaluator.Text(group["namespace"]);
            foreach (var (name, member) in group["members"] as JsonObject ?? [])
            {
                if (member is JsonObject function)
                    members[$"{ns}.{name}"] = function;
            }
        }
        return new UserFunctions(members);
    }

    public JsonNode? Call(string name, JsonNode?[] args, TemplateContext context)
    {
        if (!members.TryGetValue(name, out var function))
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The template function '{name}' is not found.'");
        var declared = (function["parameters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (declared.Count != args.Length)
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The template function '{name}' takes {declared.Count} arguments, not {args.Length}.'");
        var parameters = new JsonObject();
        var arguments = new JsonObject();
        for (var i = 0; i < declared.Count; i++)
        {
            var parameter = ExpressionEvaluator.Text(declared[i]["name"]);
            parameters[parameter] = new JsonObject { ["type"] = declared[i]["type"]?.DeepClone() };
            arguments[parameter] = new JsonObject { ["value"] = args[i]?.DeepClone() };
        }
        return ExpressionEvaluator.EvaluateDeep(function["output"]?["value"], context.ForFunction(parameters, arguments));
    }
}
