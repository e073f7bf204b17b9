using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Http;

/// <summary>The body of <c>POST /api/stacks/{stack}/runs</c>.</summary>
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

/// <summary>The body of <c>POST /api/runs/{id}/approval</c>.</summary>
public sealed record ApprovalRequest(string? Decision, string? By, string? Comment)
{
    public bool Approved => string.Equals(Decision, "approve", StringComparison.OrdinalIgnoreCase);

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Decision is null || !(Decision.Equals("approve", StringComparison.OrdinalIgnoreCase) || Decision.Equals("reject", StringComparison.OrdinalIgnoreCase)))
            errors["decision"] = ["The decision must be \"approve\" or \"reject\"."];
        if (string.IsNullOrWhiteSpace(By)) errors["by"] = ["Who decides is required."];
        else if (By.Length > 200) errors["by"] = ["The name may be at most 200 characters."];
        if (Comment?.Length > 2000) errors["comment"] = ["The comment may be at most 2000 characters."];
        return errors;
    }
}

/// <summary>The answer to a start: where to follow the run.</summary>
public sealed record RunStarted(string Id, string Stack, string Commit, string StatusUrl, string ApprovalUrl, bool AlreadyStarted);
