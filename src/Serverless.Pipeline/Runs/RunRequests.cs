namespace Serverless.Pipeline.Runs;

/// <summary>
/// The body of <c>POST /api/stacks/{stack}/runs</c>. <see cref="Commit"/> may be shortened (it is resolved against the
/// stack's repository); <see cref="Repository"/>, if given, must be the registered one; <see cref="Message"/>,
/// <see cref="Author"/> and <see cref="CommittedAt"/> are display hints until the build reads them from git.
/// </summary>
public sealed record StartRunRequest(string? Commit, string? Repository, string? Message, string? Author, DateTimeOffset? CommittedAt)
{
    public const int MaxMessageLength = 4000;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Commit)) errors["commit"] = ["The commit is required."];
        else if (!CommitId.IsValid(Commit)) errors["commit"] = [$"The commit '{Commit}' is not a commit id: it must be {CommitId.Rule}."];
        if (Repository is not null && !Uri.TryCreate(Repository, UriKind.Absolute, out _))
            errors["repository"] = ["The repository must be an absolute URL."];
        if (Message?.Length > MaxMessageLength) errors["message"] = [$"The message may be at most {MaxMessageLength} characters."];
        if (Author?.Length > 200) errors["author"] = ["The author may be at most 200 characters."];
        return errors;
    }
}

/// <summary>The body of <c>POST /api/runs/{id}/approval</c>: <c>{decision, comment?}</c> (<c>by</c> only where the caller is not authenticated, see <see cref="RunApi.DecideAsync"/>).</summary>
public sealed record ApprovalRequest(string? Decision, string? By, string? Comment)
{
    public bool Approved => string.Equals(Decision, "approve", StringComparison.OrdinalIgnoreCase);

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Decision is null || !(Decision.Equals("approve", StringComparison.OrdinalIgnoreCase) || Decision.Equals("reject", StringComparison.OrdinalIgnoreCase)))
            errors["decision"] = ["The decision must be \"approve\" or \"reject\"."];
        if (By is not null && (string.IsNullOrWhiteSpace(By) || By.Length > Approvals.ApproverIdentity.MaxNameLength || By.Any(char.IsControl)))
            errors["by"] = [$"The name is 1 to {Approvals.ApproverIdentity.MaxNameLength} characters without control characters; leave it out to decide as yourself."];
        if (Comment?.Length > 2000) errors["comment"] = ["The comment may be at most 2000 characters."];
        return errors;
    }
}
