using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// ARM's error: <c>{"code","message","target","details":[...]}</c>, as found in an error response
/// (<c>{"error":{...}}</c>), in a failed deployment (<c>properties.error</c>) or in a failed
/// operation status. Resource providers sometimes put a JSON error inside a message; it is unpacked
/// into <see cref="Details"/>.
/// </summary>
public sealed record ArmError(string Code, string Message, string? Target, IReadOnlyList<ArmError> Details)
{
    /// <summary>The error of a response body: <c>{"error":{...}}</c> or a bare <c>{"code","message"}</c>.</summary>
    public static ArmError? FromBody(JsonNode? body) =>
        body is JsonObject obj
            ? FromNode(obj["error"]) ?? (obj["code"] is not null ? FromNode(obj) : null)
            : null;

    public static ArmError? FromNode(JsonNode? node, int depth = 0)
    {
        if (node is not JsonObject obj || depth > 8)
            return null;
        var code = Text(obj["code"]) ?? "Unknown";
        var message = Text(obj["message"]) ?? "";
        var details = new List<ArmError>();
        if (obj["details"] is JsonArray array)
            details.AddRange(array.Select(d => FromNode(d, depth + 1)).OfType<ArmError>());
        if (details.Count == 0 && Embedded(message, depth) is { } embedded)
        {
            details.Add(embedded);
            message = message.Length > 200 ? "(error details below)" : message;
        }
        return new ArmError(code, message, Text(obj["target"]), details);
    }

    /// <summary>The innermost errors: the actual causes.</summary>
    public IEnumerable<ArmError> Leaves() =>
        Details.Count == 0 ? [this] : Details.SelectMany(d => d.Leaves());

    /// <summary>Every target that names a resource (an ARM resource id), outermost first.</summary>
    public IReadOnlyList<string> FailedResources()
    {
        var found = new List<string>();
        Collect(this, found);
        return found;

        static void Collect(ArmError error, List<string> found)
        {
            if (error.Target is { } target && target.Contains("/providers/", StringComparison.OrdinalIgnoreCase)
                && !target.Contains("/providers/Microsoft.Resources/deployments/", StringComparison.OrdinalIgnoreCase)
                && !found.Contains(target, StringComparer.OrdinalIgnoreCase))
                found.Add(target);
            foreach (var detail in error.Details)
                Collect(detail, found);
        }
    }

    /// <summary>
    /// The error tree flattened into readable lines: <c>Code: message</c>, each detail indented under its
    /// parent with its target as <c>Provider/type/name</c> (and the full resource id).
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        Append(this, 0, text);
        return text.ToString().TrimEnd();

        static void Append(ArmError error, int depth, StringBuilder text)
        {
            text.Append(' ', depth * 2);
            if (depth > 0)
                text.Append("- ");
            text.Append(error.Code);
            if (error.Target is { Length: > 0 } target)
                text.Append(" at ").Append(ShortResource(target) is { } shortName && shortName != target ? $"{shortName} ({target})" : target);
            if (error.Message.Length > 0)
                text.Append(": ").Append(error.Message);
            text.AppendLine();
            foreach (var detail in error.Details)
                Append(detail, depth + 1, text);
        }
    }

    /// <summary><c>Microsoft.Web/sites/app</c> from <c>/subscriptions/.../providers/Microsoft.Web/sites/app</c>; null when not a resource id.</summary>
    public static string? ShortResource(string resourceId)
    {
        var at = resourceId.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : resourceId[(at + "/providers/".Length)..];
    }

    private static ArmError? Embedded(string message, int depth)
    {
        var start = message.IndexOf('{', StringComparison.Ordinal);
        if (start < 0 || !message.TrimEnd().EndsWith('}'))
            return null;
        try
        {
            var node = JsonNode.Parse(message[start..]);
            return FromNode(node?["error"], depth + 1) ?? (node?["code"] is not null ? FromNode(node, depth + 1) : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString();
}
