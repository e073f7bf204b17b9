using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Build;

/// <summary>A problem of a parameters file, at its 1-based line and column (0 when it is about no place in the file).</summary>
public sealed record ParameterProblem(int Line, int Column, string Message);

/// <summary>
/// Checks an environment's ARM parameters file against the compiled template's parameters, as ARM would at the
/// deployment: every required parameter given, no unknown names, values of the declared type, within the
/// declaration's <c>allowedValues</c>, <c>minLength</c>/<c>maxLength</c> and <c>minValue</c>/<c>maxValue</c>.
/// Values of secure parameters are never quoted.
/// </summary>
public static class ParameterFileCheck
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static IReadOnlyList<ParameterProblem> Check(JsonNode template, byte[]? parametersFile)
    {
        var declared = template["parameters"] as JsonObject ?? [];
        var problems = new List<ParameterProblem>();
        JsonObject given = [];
        var positions = JsonPropertyPositions.Read([]);
        if (parametersFile is not null)
        {
            var utf8 = parametersFile.AsSpan();
            if (utf8.StartsWith(ByteOrderMark)) utf8 = utf8[ByteOrderMark.Length..];
            try
            {
                given = JsonNode.Parse(utf8)?["parameters"] as JsonObject
                        ?? throw new JsonException("it has no \"parameters\" object");
            }
            catch (JsonException e)
            {
                var (line, column) = e.LineNumber is { } l ? ((int)l + 1, (int)(e.BytePositionInLine ?? 0) + 1) : (0, 0);
                return [new ParameterProblem(line, column, $"not an ARM parameters file: {e.Message}")];
            }
            positions = JsonPropertyPositions.Read(utf8);
        }

        foreach (var (name, value) in given)
        {
            var (line, column) = positions.Find("parameters", name);
            var declaration = declared.FirstOrDefault(d => string.Equals(d.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            var message = declaration is null ? Undeclared(name, declared) : ValueProblem(name, declaration, value);
            if (message is not null) problems.Add(new ParameterProblem(line, column, message));
        }

        var (parametersLine, parametersColumn) = positions.Find(null, "parameters");
        foreach (var (name, declaration) in declared)
        {
            var required = declaration?["defaultValue"] is null && !(declaration?["nullable"]?.GetValue<bool>() ?? false);
            if (required && !given.Any(g => string.Equals(g.Key, name, StringComparison.OrdinalIgnoreCase)))
                problems.Add(new ParameterProblem(parametersLine, parametersColumn, $"required parameter '{name}' is missing."));
        }
        return problems;
    }

    private static string Undeclared(string name, JsonObject declared)
    {
        var names = declared.Select(d => d.Key).ToList();
        return FieldNameSuggestion.Nearest(name, names) is { } nearest
            ? $"parameter '{name}' is not declared by the template. Did you mean '{nearest}'?"
            : $"parameter '{name}' is not declared by the template (declared: {string.Join(", ", names)}).";
    }

    private static string? ValueProblem(string name, JsonNode declaration, JsonNode? value)
    {
        if (value?["reference"] is not null) return null; // A Key Vault reference: resolved by ARM at deployment.
        var declaredType = (string?)declaration["type"] ?? "string";
        var type = declaredType.ToLowerInvariant();
        var secure = type is "securestring" or "secureobject";
        if (value?["value"] is not { } actual) return $"parameter '{name}' has no \"value\".";
        if (!Matches(type, actual)) return $"parameter '{name}' must be of type {declaredType}, but its value is {Describe(actual, secure)}.";
        return NotAllowed(name, declaration, actual, secure) ?? OutOfLength(name, declaration, actual, secure) ?? OutOfRange(name, declaration, actual);
    }

    /// <summary>ARM's rule: a value must be one of the allowed values; an array's every item must be.</summary>
    private static string? NotAllowed(string name, JsonNode declaration, JsonNode actual, bool secure)
    {
        if (declaration["allowedValues"] is not JsonArray allowed) return null;
        bool IsAllowed(JsonNode? item) => allowed.Any(a => JsonNode.DeepEquals(a, item));
        if (actual is JsonArray items && !allowed.Any(a => a is JsonArray))
        {
            var outside = items.Where(i => !IsAllowed(i)).ToList();
            return outside.Count == 0 ? null
                : $"parameter '{name}' may hold only items of {allowed.ToJsonString()} (allowedValues), not {string.Join(", ", outside.Select(o => Quote(o, secure)))}.";
        }
        return IsAllowed(actual) ? null : $"parameter '{name}' must be one of {allowed.ToJsonString()} (allowedValues), not {Quote(actual, secure)}.";
    }

    private static string? OutOfLength(string name, JsonNode declaration, JsonNode actual, bool secure)
    {
        var (length, unit) = actual switch
        {
            JsonArray array => (array.Count, "item(s)"),
            JsonValue text when text.GetValueKind() == JsonValueKind.String => (text.GetValue<string>().Length, "character(s)"),
            _ => (-1, ""),
        };
        if (length < 0) return null;
        if (Limit(declaration, "minLength") is { } min && length < min)
            return $"parameter '{name}' has {length} {unit}, fewer than its minLength {min}: {Quote(actual, secure)}.";
        if (Limit(declaration, "maxLength") is { } max && length > max)
            return $"parameter '{name}' has {length} {unit}, more than its maxLength {max}: {Quote(actual, secure)}.";
        return null;
    }

    private static string? OutOfRange(string name, JsonNode declaration, JsonNode actual)
    {
        if (actual.GetValueKind() != JsonValueKind.Number || !actual.GetValue<JsonElement>().TryGetInt64(out var number)) return null;
        if (Limit(declaration, "minValue") is { } min && number < min)
            return $"parameter '{name}' is {number}, less than its minValue {min}.";
        if (Limit(declaration, "maxValue") is { } max && number > max)
            return $"parameter '{name}' is {number}, more than its maxValue {max}.";
        return null;
    }

    private static long? Limit(JsonNode declaration, string keyword) =>
        declaration[keyword] is JsonValue limit && limit.GetValueKind() == JsonValueKind.Number && limit.GetValue<JsonElement>().TryGetInt64(out var value)
            ? value
            : null;

    private static bool Matches(string type, JsonNode value) => type switch
    {
        "string" or "securestring" => value.GetValueKind() == JsonValueKind.String,
        "int" => value.GetValueKind() == JsonValueKind.Number && value.GetValue<JsonElement>().TryGetInt64(out _),
        "bool" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "array" => value.GetValueKind() == JsonValueKind.Array,
        "object" or "secureobject" => value.GetValueKind() == JsonValueKind.Object,
        _ => true,
    };

    private static string Describe(JsonNode value, bool secure) =>
        $"{value.GetValueKind().ToString().ToLowerInvariant()} {Quote(value, secure)}";

    private static string Quote(JsonNode? value, bool secure) =>
        secure ? "(a secure value, not shown)" : Truncate(value?.ToJsonString() ?? "null");

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
