using LibGit2Sharp;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Build;

/// <summary>
/// What git's history says about the commit a run delivers: which commits the change brings since what was delivered
/// before, who wrote and committed them, which files they touched, and whether the commit is on a given branch.
/// </summary>
internal static class CommitHistory
{
    /// <summary>The most delivered commits whose authors are read; a longer history is cut (and the log says so).</summary>
    public const int MaxDeliveredCommits = 1000;

    public static string Person(Signature signature) => $"{signature.Name} <{signature.Email}>";

    /// <summary>The commits of <paramref name="since"/> that exist in the repository (unknown or rewritten ones are left out).</summary>
    public static IReadOnlyList<Commit> Known(Repository repository, IEnumerable<string> since) =>
        [.. since.Select(id => repository.Lookup<Commit>(id)).OfType<Commit>().DistinctBy(c => c.Sha)];

    /// <summary>The commits reachable from <paramref name="head"/> but from none of <paramref name="bases"/>, newest first; with no base, only the head.</summary>
    public static IReadOnlyList<Commit> Delivered(Repository repository, Commit head, IReadOnlyList<Commit> bases, out bool truncated)
    {
        truncated = false;
        if (bases.Count == 0) return [head];
        var filter = new CommitFilter { IncludeReachableFrom = head, ExcludeReachableFrom = bases, SortBy = CommitSortStrategies.Topological };
        var commits = repository.Commits.QueryBy(filter).Take(MaxDeliveredCommits + 1).ToList();
        truncated = commits.Count > MaxDeliveredCommits;
        return commits.Count == 0 ? [head] : commits.Take(MaxDeliveredCommits).ToList();
    }

    /// <summary>Every author and committer of the commits, once each.</summary>
    public static IReadOnlyList<string> People(IEnumerable<Commit> commits) =>
        [.. commits.SelectMany(c => new[] { Person(c.Author), Person(c.Committer) }).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Paths under <paramref name="prefix"/> that differ between <paramref name="from"/> (null: the head's first parent) and <paramref name="head"/>.</summary>
    public static IReadOnlyList<string> ChangedPaths(Repository repository, Commit? from, Commit head, string prefix)
    {
        var before = from?.Tree ?? head.Parents.FirstOrDefault()?.Tree;
        var changes = repository.Diff.Compare<TreeChanges>(before, head.Tree);
        var folder = prefix.Length == 0 ? "" : prefix + "/";
        return [.. changes
            .SelectMany(change => new[] { change.Path, change.OldPath })
            .Where(path => path is not null && path.StartsWith(folder, StringComparison.Ordinal))
            .Select(path => path[folder.Length..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="commit"/> is the tip of, or an ancestor of the tip of, a local branch that matches <paramref name="branchGlob"/>.</summary>
    public static bool IsOnBranch(Repository repository, Commit commit, string branchGlob)
    {
        foreach (var branch in repository.Branches.Where(b => !b.IsRemote && b.Tip is not null && BranchRule.Matches(branchGlob, b.FriendlyName)))
        {
            if (branch.Tip.Sha == commit.Sha) return true;
            if (repository.ObjectDatabase.FindMergeBase(commit, branch.Tip)?.Sha == commit.Sha) return true;
        }
        return false;
    }
}
