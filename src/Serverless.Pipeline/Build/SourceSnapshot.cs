namespace Serverless.Pipeline.Build;

/// <summary>
/// A stack's files at one commit, written to a build workspace, with what git says about the commit and the change it delivers.
/// </summary>
/// <param name="Directory">The workspace holding the stack's files (the stack's folder of the repository).</param>
/// <param name="Commit">The full commit id.</param>
/// <param name="TreeHash">The git tree id of the stack's folder at the commit: the identity of the source.</param>
/// <param name="Author">The commit's author as git records it: <c>Name &lt;email&gt;</c>.</param>
/// <param name="Committer">The commit's committer as git records it: <c>Name &lt;email&gt;</c>.</param>
/// <param name="ChangedPaths">
/// Paths under the stack's folder that the delivered change touched, relative to that folder: the difference between the
/// commit production runs now (or the push's previous head) and this commit, or against its first parent when neither is known.
/// </param>
/// <param name="DeliveredAuthors">The author and committer of every commit the change delivers (this one and those before it since <see cref="Base"/>).</param>
/// <param name="Base">The commit the change is measured from, or null when only this commit's own diff was taken.</param>
/// <param name="OnProductionBranch">Whether the commit is on a branch that may reach production (null: no rule was asked about).</param>
public sealed record SourceSnapshot(
    string Directory,
    string Commit,
    string TreeHash,
    DateTimeOffset CommittedAt,
    string Author,
    string Committer,
    string Message,
    IReadOnlyList<string> ChangedPaths,
    IReadOnlyList<string> DeliveredAuthors,
    string? Base = null,
    bool? OnProductionBranch = null)
{
    /// <summary>Why the stack's files were not written (a limit of <see cref="SourceOptions"/>); empty when they were.</summary>
    public IReadOnlyList<BuildProblem> Problems { get; init; } = [];
}

/// <summary>
/// What a build reads: the stack's registered repository at a full commit id, and what the change is measured against.
/// </summary>
/// <param name="DeliveredSince">Commits the change is measured from (what production runs now, or the push's previous head); empty for the commit's own diff.</param>
/// <param name="ProductionBranch">The branch name or glob that production takes commits from, or null to not ask.</param>
public sealed record SourceRequest(
    string Repository,
    string Commit,
    string StackPath = "",
    IReadOnlyList<string>? DeliveredSince = null,
    string? ProductionBranch = null);

/// <summary>A shortened commit id resolved against a repository: the full id, or why there is none (null and null: no such commit).</summary>
public sealed record CommitResolution(string? Commit, string? Problem);
