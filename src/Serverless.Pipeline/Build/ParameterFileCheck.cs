using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Checks an environment's ARM parameters file against the compiled template's parameters:
/// every required parameter given, no unknown names, values of the declared type.
/// </summary>
public static class ParameterFileCheck
{
    public static IReadOnlyList<string> Check(JsonNode template, string? parametersJson)
    {
        var declared = template["parameters"] as JsonObject ?? [];
        var problems = new List<string>();
        JsonObject given = [];
        if (parametersJson is not null)
        {
            try
            {
                given = JsonNode.Parse(parametersJson)?["parameters"] as JsonObject
                        ?? throw new JsonException("it has no \"parameters\" object");
            }
            catch (JsonException e)
            {
                return [$"not an ARM parameters file: {e.Message}"];
            }
        }

        foreach (var (name, value) in given)
        {
            var declaration = declared.FirstOrDefault(d => string.Equals(d.Key, name, StringComparison.OrdinalIgnoreCase));
            if (declaration.Value is null)
            {
                problems.Add($"parameter '{name}' is not declared by the template (declared: {string.Join(", ", declared.Select(d => d.Key))}).");
                continue;
            }
            if (value?["reference"] is not null) continue; // A Key Vault reference: resolved by ARM at deployment.
            var type = (string?)declaration.Value["type"] ?? "string";
            if (value?["value"] is not { } actual)
                problems.Add($"parameter '{name}' has no \"value\".");
            else if (!Matches(type, actual))
                problems.Add($"parameter '{name}' must be of type {type}, but its value is {Describe(actual)}.");
            else if (declaration.Value["allowedValues"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, actual)))
                problems.Add($"parameter '{name}' must be one of {allowed.ToJsonString()}, not {actual.ToJsonString()}.");
        }

        foreach (var (name, declaration) in declared)
        {
            var required = declaration?["defaultValue"] is null && !(declaration?["nullable"]?.GetValue<bool>() ?? false);
            if (required && !given.Any(g => string.Equals(g.Key, name, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"required parameter '{name}' is missing.");
        }
        return problems;
    }

    private static bool Matches(string type, JsonNode value) => type.ToLowerInvariant() switch
    {
        "string" or "securestring" => value.GetValueKind() == JsonValueKind.String,
        "int" => value.GetValueKind() == JsonValueKind.Number && value.GetValue<JsonElement>().TryGetInt64(out _),
        "bool" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "array" => value.GetValueKind() == JsonValueKind.Array,
        "object" or "secureobject" => value.GetValueKind() == JsonValueKind.Object,
        _ => true,
    };

    private static string Describe(JsonNode value) => $"{value.GetValueKind().ToString().ToLowerInvariant()} {Truncate(value.ToJsonString())}";

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
