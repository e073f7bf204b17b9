using System.Text.Json;
using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;
using static Serverless.LocalArm.Templates.Functions.TemplateFunctions;

namespace Serverless.LocalArm.Templates.Functions;

/// <summary>Array and object functions (most also take a string as a list of characters, as ARM's do).</summary>
internal static class CollectionFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> functions)
    {
        functions["concat"] = (args, _) => Concat(args);
        functions["length"] = (args, _) => JsonValue.Create(Length(Arg(args, 0)));
        functions["empty"] = (args, _) => JsonValue.Create(Arg(args, 0) is null || Length(args[0]) == 0);
        functions["contains"] = (args, _) => JsonValue.Create(Contains(Arg(args, 0), Arg(args, 1)));
        functions["first"] = (args, _) => At(Arg(args, 0), first: true);
        functions["last"] = (args, _) => At(Arg(args, 0), first: false);
        functions["take"] = (args, _) => Slice(Arg(args, 0), 0, (int)Integer(Arg(args, 1)));
        functions["skip"] = (args, _) => Slice(Arg(args, 0), (int)Integer(Arg(args, 1)), int.MaxValue);
        functions["range"] = (args, _) => new JsonArray([.. Enumerable.Range((int)Integer(Arg(args, 0)), (int)Integer(Arg(args, 1))).Select(i => JsonValue.Create(i))]);
        functions["createArray"] = (args, _) => new JsonArray([.. args.Select(a => a?.DeepClone())]);
        functions["createObject"] = (args, _) => CreateObject(args);
        functions["union"] = (args, _) => Union(args);
        functions["join"] = (args, _) => JsonValue.Create(string.Join(Text(Arg(args, 1)), ((Arg(args, 0) as JsonArray) ?? []).Select(Text)));
        functions["items"] = (args, _) => new JsonArray([.. ((Arg(args, 0) as JsonObject) ?? []).Select(p => new JsonObject { ["key"] = p.Key, ["value"] = p.Value?.DeepClone() })]);
        functions["json"] = (args, _) => JsonNode.Parse(Text(Arg(args, 0)));
        functions["tryGet"] = (args, _) => TryGet(Arg(args, 0), args.Skip(1));
        functions["min"] = (args, _) => JsonValue.Create(Numbers(args).Min());
        functions["max"] = (args, _) => JsonValue.Create(Numbers(args).Max());
    }

    public static long Length(JsonNode? value) => value switch
    {
        JsonArray array => array.Count,
        JsonObject obj => obj.Count,
        _ => Text(value).Length,
    };

    private static JsonNode Concat(JsonNode?[] args)
    {
        if (args.Length > 0 && args.All(a => a is JsonArray))
            return new JsonArray([.. args.SelectMany(a => ((JsonArray)a!).Select(item => item?.DeepClone()))]);
        return JsonValue.Create(string.Concat(args.Select(Text)));
    }

    private static bool Contains(JsonNode? container, JsonNode? item) => container switch
    {
        JsonArray array => array.Any(element => JsonNode.DeepEquals(element, item)),
        JsonObject obj => TemplateContext.TryFind(obj, Text(item), out _),
        _ => Text(container).Contains(Text(item), StringComparison.Ordinal),
    };

    private static JsonNode? At(JsonNode? value, bool first) => value switch
    {
        JsonArray { Count: 0 } => null,
        JsonArray array => (first ? array[0] : array[^1])?.DeepClone(),
        _ when Text(value) is { Length: > 0 } text => JsonValue.Create((first ? text[0] : text[^1]).ToString()),
        _ => JsonValue.Create(""),
    };

    private static JsonNode Slice(JsonNode? value, int start, int count)
    {
        if (value is JsonArray array)
            return new JsonArray([.. array.Skip(start).Take(count).Select(item => item?.DeepClone())]);
        var text = Text(value);
        start = Math.Clamp(start, 0, text.Length);
        return JsonValue.Create(text.Substring(start, Math.Clamp(count, 0, text.Length - start)));
    }

    private static JsonObject CreateObject(JsonNode?[] args)
    {
        if (args.Length % 2 != 0)
            throw new TemplateException("InvalidTemplate", "createObject() takes pairs of keys and values.");
        var obj = new JsonObject();
        for (var i = 0; i < args.Length; i += 2)
            obj[Text(args[i])] = args[i + 1]?.DeepClone();
        return obj;
    }

    /// <summary>Arrays: the distinct items of all, in order. Objects: all properties, a later one winning.</summary>
    private static JsonNode Union(JsonNode?[] args)
    {
        if (args.All(a => a is JsonArray))
        {
            var union = new JsonArray();
            foreach (var item in args.SelectMany(a => (JsonArray)a!))
            {
                if (!union.Any(known => JsonNode.DeepEquals(known, item)))
                    union.Add(item?.DeepClone());
            }
            return union;
        }
        var merged = new JsonObject();
        foreach (var (key, value) in args.OfType<JsonObject>().SelectMany(o => o))
            merged[key] = value?.DeepClone();
        return merged;
    }

    private static JsonNode? TryGet(JsonNode? value, IEnumerable<JsonNode?> path)
    {
        foreach (var step in path)
        {
            value = value switch
            {
                JsonObject obj => TemplateContext.Find(obj, Text(step)),
                JsonArray array when step is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Integer(v) is var i && i >= 0 && i < array.Count => array[(int)i],
                _ => null,
            };
            if (value is null)
                return null;
        }
        return value?.DeepClone();
    }

    private static IEnumerable<long> Numbers(JsonNode?[] args) =>
        args is [JsonArray array] ? array.Select(Integer) : args.Select(Integer);
}
