namespace Serverless.Pipeline.Build;

/// <summary>
/// A stack's files at one commit, written to a build workspace, with what git says about the commit.
/// </summary>
/// <param name="Directory">The workspace holding the stack's files (the stack's folder of the repository).</param>
/// <param name="Commit">The full commit id.</param>
/// <param name="TreeHash">The git tree id of the stack's folder at the commit: the identity of the source.</param>
/// <param name="ChangedPaths">Paths under the stack's folder that the commit changed against its first parent, relative to that folder.</param>
public sealed record SourceSnapshot(
    string Directory,
    string Commit,
    string TreeHash,
    DateTimeOffset CommittedAt,
    string Author,
    string Message,
    IReadOnlyList<string> ChangedPaths)
{
    /// <summary>Why the stack's files were not written (a limit of <see cref="SourceOptions"/>); empty when they were.</summary>
    public IReadOnlyList<BuildProblem> Problems { get; init; } = [];
}
