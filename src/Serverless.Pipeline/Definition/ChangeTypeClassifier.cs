namespace Serverless.Pipeline.Definition;

/// <summary>
/// Classifies a change by the paths it touches. Rules are tried in order and the first rule that
/// matches any changed path decides the type; when no rule matches (or nothing changed), the default type applies.
/// </summary>
public static class ChangeTypeClassifier
{
    public static string Classify(ChangeTypePolicy policy, IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Classify(policy.Rules, policy.Default, changedPaths);
    }

    public static string Classify(IEnumerable<ChangeTypeRule> rules, string defaultType, IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(changedPaths);
        var paths = changedPaths.Select(GlobPattern.NormalizePath).ToList();
        foreach (var rule in rules)
        {
            var globs = rule.Paths.Select(GlobPattern.Create).ToList();
            if (paths.Any(path => globs.Any(glob => glob.IsMatch(path)))) return rule.Type;
        }
        return defaultType;
    }
}
