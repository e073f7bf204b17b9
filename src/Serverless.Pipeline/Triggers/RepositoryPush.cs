using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// A push to a git repository, whichever way it arrived (Event Grid, CloudEvents or a GitHub webhook):
/// the ref it moved, from <see cref="Before"/> to <see cref="After"/> (the head commit), and the commits it brought.
/// Commit ids are lowercase.
/// </summary>
public sealed record RepositoryPush(
    string Repository,
    string Ref,
    string? Before,
    string After,
    DateTimeOffset PushedAt,
    string? Pusher,
    IReadOnlyList<PushedCommit> Commits,
    PushedCommit? HeadCommit)
{
    public const string BranchPrefix = "refs/heads/";

    /// <summary>The branch the push moved, or null when it moved a tag or another kind of ref.</summary>
    public string? Branch => Ref.StartsWith(BranchPrefix, StringComparison.Ordinal) ? Ref[BranchPrefix.Length..] : null;

    /// <summary>A push whose head is the zero commit deletes its ref.</summary>
    public bool Deletes => CommitId.IsZero(After);
}

/// <summary>
/// One commit of a push. <see cref="Paths"/> holds the files it added, modified or removed,
/// or is null when the event did not say, in which case the commit counts as changing every path.
/// </summary>
public sealed record PushedCommit(string Id, DateTimeOffset CommittedAt, string? Message, string? Author, IReadOnlyList<string>? Paths)
{
    public const int MaxMessageLength = 4000;
    public const int MaxAuthorLength = 200;

    public static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
