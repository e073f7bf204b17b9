using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The data of a <see cref="EventType"/> event, in either Event Grid schema or CloudEvents 1.0 (see docs/events.md).
/// Unknown members are ignored, so that publishers may add some.
/// </summary>
public sealed record RepositoryPushData(
    string? Repository,
    string? Ref,
    string? Before,
    string? After,
    DateTimeOffset? PushedAt,
    string? Pusher,
    List<RepositoryPushCommit>? Commits)
{
    public const string EventType = "Serverless.Pipeline.RepositoryPush";
    public const string DataVersion = "1.0";

    public static bool IsPushType(string? type) => string.Equals(type, EventType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The push, or every problem with the data keyed by field.</summary>
    public RepositoryPush? ToPush(DateTimeOffset defaultPushedAt, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(Repository)) errors["repository"] = ["The repository URL is required."];
        else if (RepositoryUrl.Normalize(Repository) is null) errors["repository"] = [$"'{Repository}' is not a repository URL."];
        PushFields.CheckRef(Ref, "ref", errors);
        PushFields.CheckCommitId(After, "after", required: true, errors);
        PushFields.CheckCommitId(Before, "before", required: false, errors);

        var commits = new List<PushedCommit>();
        for (var i = 0; i < (Commits?.Count ?? 0); i++)
        {
            var commit = Commits![i];
            var field = $"commits[{i}]";
            if (commit is null)
            {
                errors[field] = ["A commit may not be null."];
                continue;
            }
            PushFields.CheckCommitId(commit.Id, $"{field}.id", required: true, errors);
            if (commit.Timestamp is null) errors[$"{field}.timestamp"] = ["The commit's timestamp is required: lead time is measured from it."];
            if (errors.Count > 0) continue;
            commits.Add(new PushedCommit(
                CommitId.Normalize(commit.Id!),
                commit.Timestamp!.Value,
                PushedCommit.Clip(commit.Message, PushedCommit.MaxMessageLength),
                PushedCommit.Clip(commit.Author, PushedCommit.MaxAuthorLength),
                PushFields.PathsOf(commit.Added, commit.Modified, commit.Removed)));
        }
        if (errors.Count > 0) return null;

        var after = CommitId.Normalize(After!);
        return new RepositoryPush(
            Repository!.Trim(),
            Ref!,
            Before is null ? null : CommitId.Normalize(Before),
            after,
            PushedAt ?? defaultPushedAt,
            PushedCommit.Clip(Pusher, PushedCommit.MaxAuthorLength),
            commits,
            commits.LastOrDefault(c => c.Id == after));
    }
}

/// <summary>One commit of a <see cref="RepositoryPushData"/>.</summary>
public sealed record RepositoryPushCommit(
    string? Id,
    DateTimeOffset? Timestamp,
    string? Message,
    string? Author,
    List<string>? Added,
    List<string>? Modified,
    List<string>? Removed);
