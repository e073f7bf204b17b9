using System.Collections.Concurrent;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Triggers;

/// <summary>Which pushes a stack delivers: its branch (a name or glob) and its path globs (<see cref="GlobPattern"/>, case-sensitive as git is).</summary>
public static class StackFilter
{
    private static readonly ConcurrentDictionary<string, GlobPattern?> Globs = new(StringComparer.Ordinal);

    public static bool DeliversBranch(StackDefinition stack, string branch) => BranchRule.Matches(stack.Branch, branch);

    /// <summary>
    /// The commits of the push that change the stack, or null if the push changed none of its paths. A commit whose
    /// paths the event did not give counts as changing every path, and so does a push that lists no commits at all
    /// (a new branch at an existing commit, a push back to an older one): then the list is empty but not null.
    /// </summary>
    public static IReadOnlyList<PushedCommit>? ChangesFor(StackDefinition stack, RepositoryPush push)
    {
        if (push.Commits.Count == 0 || CoversEverything(stack)) return push.Commits;
        var globs = stack.Paths.Select(Glob).OfType<GlobPattern>().ToList();
        var changes = push.Commits.Where(c => c.Paths is null || c.Paths.Any(path => globs.Any(g => g.IsMatch(path)))).ToList();
        return changes.Count > 0 ? changes : null;
    }

    public static bool CoversEverything(StackDefinition stack) => stack.Paths.Count == 0 || stack.Paths.Contains("**");

    private static GlobPattern? Glob(string glob) =>
        Globs.GetOrAdd(glob, g => GlobPattern.TryCreate(g, out var pattern, out _) ? pattern : null);
}
