using System.Text.Json;
using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;
using static Serverless.LocalArm.Templates.Functions.TemplateFunctions;

namespace Serverless.LocalArm.Templates.Functions;

/// <summary>Logical, comparison, conversion and integer functions (<c>if</c>, <c>and</c>, <c>or</c> are evaluated lazily by the evaluator).</summary>
internal static class LogicFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> functions)
    {
        functions["equals"] = (args, _) => JsonValue.Create(JsonNode.DeepEquals(Arg(args, 0), Arg(args, 1)));
        functions["not"] = (args, _) => JsonValue.Create(!Boolean(Arg(args, 0)));
        functions["true"] = (_, _) => JsonValue.Create(true);
        functions["false"] = (_, _) => JsonValue.Create(false);
        functions["null"] = (_, _) => null;
        functions["coalesce"] = (args, _) => args.FirstOrDefault(a => a is not null)?.DeepClone();
        functions["int"] = (args, _) => JsonValue.Create(Integer(Arg(args, 0)));
        functions["bool"] = (args, _) => JsonValue.Create(Boolean(Arg(args, 0)));
        functions["greater"] = (args, _) => JsonValue.Create(Compare(Arg(args, 0), Arg(args, 1)) > 0);
        functions["greaterOrEquals"] = (args, _) => JsonValue.Create(Compare(Arg(args, 0), Arg(args, 1)) >= 0);
        functions["less"] = (args, _) => JsonValue.Create(Compare(Arg(args, 0), Arg(args, 1)) < 0);
        functions["lessOrEquals"] = (args, _) => JsonValue.Create(Compare(Arg(args, 0), Arg(args, 1)) <= 0);
        functions["add"] = (args, _) => JsonValue.Create(Integer(Arg(args, 0)) + Integer(Arg(args, 1)));
        functions["sub"] = (args, _) => JsonValue.Create(Integer(Arg(args, 0)) - Integer(Arg(args, 1)));
        functions["mul"] = (args, _) => JsonValue.Create(Integer(Arg(args, 0)) * Integer(Arg(args, 1)));
        functions["div"] = (args, _) => JsonValue.Create(Integer(Arg(args, 0)) / NonZero(Integer(Arg(args, 1))));
        functions["mod"] = (args, _) => JsonValue.Create(Integer(Arg(args, 0)) % NonZero(Integer(Arg(args, 1))));
    }

    private static int Compare(JsonNode? left, JsonNode? right) =>
        left is JsonValue l && l.GetValueKind() == JsonValueKind.Number
            ? Integer(left).CompareTo(Integer(right))
            : string.CompareOrdinal(Text(left), Text(right));

    private static long NonZero(long divisor) =>
        divisor != 0 ? divisor : throw new TemplateException("InvalidTemplate", "The template language expression divides by zero.");
}
