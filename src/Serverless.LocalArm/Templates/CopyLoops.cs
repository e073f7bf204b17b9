using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// ARM's <c>copy</c> loops that make values: variable loops (<c>variables.copy[]</c>), property
/// loops (<c>"copy": [{name, count, input}]</c> inside an object) and output loops
/// (<c>"copy": {count, input}</c> of an output). Resource loops are expanded by <see cref="TemplateEvaluation"/>.
/// </summary>
internal static class CopyLoops
{
    /// <summary>The values of a named loop <c>{name, count, input}</c>: <c>copyIndex('name')</c> is the iteration.</summary>
    public static JsonArray Iterate(JsonObject loop, TemplateContext context, Func<JsonNode?, TemplateContext, JsonNode?> evaluate)
    {
        var name = ExpressionEvaluator.Text(loop["name"]);
        return new JsonArray([.. Enumerable.Range(0, Count(loop, context)).Select(i => evaluate(loop["input"], context.WithLoop(name, i)))]);
    }

    /// <summary>The value of an output loop <c>{count, input}</c>: <c>copyIndex()</c> is the iteration.</summary>
    public static JsonArray IterateOutput(JsonObject loop, TemplateContext context) =>
        new([.. Enumerable.Range(0, Count(loop, context)).Select(i => ExpressionEvaluator.EvaluateDeep(loop["input"], context.WithCopyIndex(i)))]);

    /// <summary>True when an object's <c>copy</c> is a list of property loops (not a resource or output loop).</summary>
    public static bool IsPropertyLoops(JsonNode? copy) =>
        copy is JsonArray loops && loops.Count > 0 && loops.All(l => l is JsonObject loop && loop.ContainsKey("name") && loop.ContainsKey("input"));

    public static int Count(JsonObject loop, TemplateContext context)
    {
        var count = ExpressionEvaluator.Integer(ExpressionEvaluator.EvaluateDeep(loop["count"], context));
        return count >= 0 && count <= 800
            ? (int)count
            : throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The copy count {count} is not between 0 and 800.'");
    }
}
