using System.Globalization;
using System.Text.Json;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The parts of GitHub's <c>push</c> webhook payload that a run needs. It arrives from a GitHub webhook, or as the
/// data of an Event Grid event whose publisher forwards GitHub's payload unchanged (recognised by its
/// <c>repository</c> being an object).
/// </summary>
public sealed record GitHubPushPayload(
    string? Ref,
    string? Before,
    string? After,
    bool Deleted,
    List<GitHubCommit?>? Commits,
    GitHubCommit? HeadCommit,
    GitHubRepository? Repository,
    GitHubUser? Pusher)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public RepositoryPush? ToPush(DateTimeOffset defaultPushedAt, Dictionary<string, string[]> errors)
    {
        var url = Repository?.HtmlUrl ?? Repository?.CloneUrl ?? Repository?.Url;
        if (url is null) errors["repository"] = ["The repository's html_url or clone_url is required."];
        else if (RepositoryUrl.Normalize(url) is null) errors["repository.html_url"] = [$"'{url}' is not a repository URL."];
        PushFields.CheckRef(Ref, "ref", errors);
        PushFields.CheckCommitId(After, "after", required: true, errors);
        PushFields.CheckCommitId(Before, "before", required: false, errors);

        var commits = new List<PushedCommit>();
        for (var i = 0; i < (Commits?.Count ?? 0); i++)
        {
            if (Read(Commits![i], $"commits[{i}]", errors) is { } commit) commits.Add(commit);
        }
        var head = HeadCommit is null ? null : Read(HeadCommit, "head_commit", errors);
        if (errors.Count > 0) return null;

        var after = CommitId.Normalize(After!);
        return new RepositoryPush(
            url!.Trim(),
            Ref!,
            Before is null ? null : CommitId.Normalize(Before),
            after,
            Repository?.PushedAtTime() ?? defaultPushedAt,
            PushedCommit.Clip(Pusher?.Name, PushedCommit.MaxAuthorLength),
            commits,
            commits.LastOrDefault(c => c.Id == after) ?? (head?.Id == after ? head : null));
    }

    private static PushedCommit? Read(GitHubCommit? commit, string field, Dictionary<string, string[]> errors)
    {
        if (commit is null)
        {
            errors[field] = ["A commit may not be null."];
            return null;
        }
        PushFields.CheckCommitId(commit.Id, $"{field}.id", required: true, errors);
        if (commit.Timestamp is null) errors[$"{field}.timestamp"] = ["The commit's timestamp is required."];
        if (!CommitId.IsValid(commit.Id) || commit.Timestamp is null) return null;
        var author = commit.Author?.Name ?? commit.Author?.Username;
        return new PushedCommit(
            CommitId.Normalize(commit.Id!),
            commit.Timestamp.Value,
            PushedCommit.Clip(commit.Message, PushedCommit.MaxMessageLength),
            PushedCommit.Clip(author, PushedCommit.MaxAuthorLength),
            PushFields.PathsOf(commit.Added, commit.Modified, commit.Removed));
    }
}

public sealed record GitHubCommit(
    string? Id,
    DateTimeOffset? Timestamp,
    string? Message,
    GitHubUser? Author,
    List<string>? Added,
    List<string>? Modified,
    List<string>? Removed);

public sealed record GitHubUser(string? Name, string? Email, string? Username);

public sealed record GitHubRepository(string? FullName, string? HtmlUrl, string? CloneUrl, string? Url, JsonElement? PushedAt)
{
    /// <summary>In push payloads <c>pushed_at</c> is a Unix time in seconds; in others an ISO 8601 string.</summary>
    public DateTimeOffset? PushedAtTime() => PushedAt switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds),
        { ValueKind: JsonValueKind.String } s when DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        _ => null,
    };
}
