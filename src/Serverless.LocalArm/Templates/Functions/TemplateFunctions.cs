using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates.Functions;

/// <summary>A template function: its evaluated arguments and the context it is called in.</summary>
internal delegate JsonNode? TemplateFunction(JsonNode?[] args, TemplateContext context);

/// <summary>
/// The template functions the test double knows (a useful subset of ARM's), and the template's
/// own user-defined functions (<c>namespace.name(...)</c>). Any other function is unsupported:
/// the value that uses it keeps its text as written.
/// </summary>
internal static class TemplateFunctions
{
    private static readonly Dictionary<string, TemplateFunction> BuiltIn = Register();

    public static JsonNode? Call(string function, JsonNode?[] args, TemplateContext context)
    {
        if (function.Contains('.', StringComparison.Ordinal))
            return context.Functions.Call(function, args, context);
        return BuiltIn.TryGetValue(function, out var builtIn)
            ? builtIn(args, context)
            : throw new UnsupportedExpressionException($"The test double does not evaluate '{function}()'.");
    }

    internal static JsonNode? Arg(JsonNode?[] args, int index) =>
        index < args.Length ? args[index] : throw new UnsupportedExpressionException($"Missing argument {index + 1}.");

    private static Dictionary<string, TemplateFunction> Register()
    {
        var functions = new Dictionary<string, TemplateFunction>(StringComparer.OrdinalIgnoreCase);
        StringFunctions.Register(functions);
        CollectionFunctions.Register(functions);
        LogicFunctions.Register(functions);
        ScopeFunctions.Register(functions);
        return functions;
    }
}
