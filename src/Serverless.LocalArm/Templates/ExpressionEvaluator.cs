using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.LocalArm.Templates.Functions;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// Evaluates template language expressions, and template values that contain them. Only a
/// useful subset of ARM's functions exists here (see <see cref="Functions.TemplateFunctions"/>); any
/// other function leaves the string as written.
/// </summary>
internal static class ExpressionEvaluator
{
    public static JsonNode? Evaluate(string expression, TemplateContext context) =>
        Evaluate(ExpressionParser.Parse(expression), context);

    /// <summary>A copy of <paramref name="value"/> with every string expression evaluated where possible.</summary>
    public static JsonNode? EvaluateDeep(JsonNode? value, TemplateContext context)
    {
        switch (value)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    if (key.Equals("copy", StringComparison.OrdinalIgnoreCase) && CopyLoops.IsPropertyLoops(item))
                    {
                        foreach (var loop in item!.AsArray().OfType<JsonObject>())
                            copy[Text(loop["name"])] = PropertyLoop(loop, context);
                    }
                    else
                        copy[key] = EvaluateDeep(item, context);
                }
                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => EvaluateDeep(item, context))]);
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                var s = text.GetValue<string>();
                if (s.StartsWith("[[", StringComparison.Ordinal))
                    return JsonValue.Create(s[1..]);
                if (!ExpressionParser.IsExpression(s))
                    return JsonValue.Create(s);
                try
                {
                    return Evaluate(s, context);
                }
                catch (Exception e) when (e is not TemplateException)
                {
                    // Unsupported functions and arguments of the wrong kind keep the text as written.
                    return JsonValue.Create(s);
                }
            default:
                return value?.DeepClone();
        }
    }

    private static JsonNode? PropertyLoop(JsonObject loop, TemplateContext context)
    {
        try
        {
            return CopyLoops.Iterate(loop, context, EvaluateDeep);
        }
        catch (Exception e) when (e is not TemplateException)
        {
            return loop.DeepClone(); // a count the test double cannot evaluate: kept as written
        }
    }

    public static JsonNode? Evaluate(ExpressionNode node, TemplateContext context) => node switch
    {
        LiteralNode literal => literal.Value?.DeepClone(),
        CallNode call => Call(call, context),
        MemberNode member => Member(Evaluate(member.Target, context), member.Member),
        IndexNode index => Index(Evaluate(index.Target, context), Evaluate(index.Index, context)),
        _ => throw new UnsupportedExpressionException($"Unknown node {node}."),
    };

    /// <summary>
    /// A function call. <c>if</c> evaluates only the branch it takes, and <c>and</c> / <c>or</c> stop
    /// at the first argument that decides, as ARM does: a branch may reference a module whose
    /// condition is false.
    /// </summary>
    private static JsonNode? Call(CallNode call, TemplateContext context)
    {
        var arguments = call.Arguments;
        switch (call.Function.ToLowerInvariant())
        {
            case "if" when arguments.Count == 3:
                return Evaluate(Boolean(Evaluate(arguments[0], context)) ? arguments[1] : arguments[2], context);
            case "and":
                return JsonValue.Create(arguments.All(a => Boolean(Evaluate(a, context))));
            case "or":
                return JsonValue.Create(arguments.Any(a => Boolean(Evaluate(a, context))));
            default:
                return TemplateFunctions.Call(call.Function, [.. arguments.Select(a => Evaluate(a, context))], context);
        }
    }

    public static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "True" : "False",
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    public static long Integer(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var n) ? n : v.TryGetValue<int>(out var i) ? i : (long)v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => long.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture),
        _ => throw new UnsupportedExpressionException($"Not an integer: {value?.ToJsonString()}"),
    };

    public static bool Boolean(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => bool.Parse(v.GetValue<string>()),
        _ => throw new UnsupportedExpressionException($"Not a boolean: {value?.ToJsonString()}"),
    };

    private static JsonNode? Member(JsonNode? target, string name) => target is JsonObject obj && TemplateContext.TryFind(obj, name, out var value)
        ? value?.DeepClone()
        : throw new UnsupportedExpressionException($"No member '{name}'.");

    private static JsonNode? Index(JsonNode? target, JsonNode? index) => target switch
    {
        JsonArray array when Integer(index) is var i && i >= 0 && i < array.Count => array[(int)i]?.DeepClone(),
        JsonObject => Member(target, Text(index)),
        _ => throw new UnsupportedExpressionException("Index out of range."),
    };
}
