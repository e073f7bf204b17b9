using System.Collections.Concurrent;
using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Stacks;

/// <summary>A branch rule of a registration (the branch a stack delivers, the branches production takes): a name or a glob such as <c>release/*</c>.</summary>
public static class BranchRule
{
    private static readonly ConcurrentDictionary<string, GlobPattern?> Globs = new(StringComparer.Ordinal);

    public static bool Matches(string rule, string branch) =>
        rule == branch || Globs.GetOrAdd(rule, g => GlobPattern.TryCreate(g, out var pattern, out _) ? pattern : null)?.IsMatch(branch) == true;
}
