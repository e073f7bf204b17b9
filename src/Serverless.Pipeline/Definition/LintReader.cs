namespace Serverless.Pipeline.Definition;

/// <summary>Reads the <c>lint</c> section.</summary>
internal static class LintReader
{
    private static readonly string[] Known = ["failOn"];

    public static LintPolicy? Read(Fields root)
    {
        if (!root.Has("lint")) return LintPolicy.None;
        if (root.Section("lint", required: false, Known) is not { } fields) return null;
        var rules = new List<string>();
        foreach (var (rule, node, path) in fields.TextList("failOn", required: false) ?? [])
        {
            if (DefinitionRules.LintRule(rule) is { } error)
                fields.Problems.Add(node, path, error);
            else if (rules.Contains(rule))
                fields.Problems.Add(node, path, $"'{rule}' is listed twice.");
            else
                rules.Add(rule);
        }
        return new LintPolicy(rules);
    }
}
