using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>Reads the <c>changeTypes</c> section: ordered path-glob rules and the default type.</summary>
internal static class ChangeTypesReader
{
    private static readonly string[] Known = ["rules", "default"];
    private static readonly string[] KnownRule = ["paths", "type"];

    public static ChangeTypePolicy? Read(Fields root)
    {
        if (!root.Has("changeTypes")) return ChangeTypePolicy.None;
        if (root.Section("changeTypes", required: false, Known) is not { } fields) return null;
        var defaultType = fields.OptionalText("default") ?? ChangeTypePolicy.DefaultType;
        CheckType(fields, "default", defaultType);
        var rules = new List<ChangeTypeRule>();
        foreach (var (node, path) in fields.List("rules", required: false) ?? [])
        {
            if (Fields.Of(node, path, fields.Problems, KnownRule) is not { } rule) continue;
            var type = rule.RequiredText("type");
            if (type is not null) CheckType(rule, "type", type);
            var globs = rule.TextList("paths", required: true);
            if (globs is { Count: 0 } && rule.Value("paths") is YamlSequence { Items.Count: 0 })
                rule.Report("paths", "List at least one path glob.");
            foreach (var (glob, globNode, globPath) in globs ?? [])
            {
                if (!GlobPattern.TryCreate(glob, out _, out var error))
                    fields.Problems.Add(globNode, globPath, $"Invalid glob: {error}");
            }
            rules.Add(new ChangeTypeRule([.. (globs ?? []).Select(g => g.Value)], type ?? ""));
        }
        return new ChangeTypePolicy(rules, defaultType);
    }

    private static void CheckType(Fields fields, string field, string type)
    {
        if (!StackName.IsValid(type))
            fields.Report(field, $"'{type}' is not a valid change type (such as network, database or compute): {StackName.Rule}.");
    }
}
