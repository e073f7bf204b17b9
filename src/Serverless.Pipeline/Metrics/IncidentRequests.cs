using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Metrics;

/// <summary>The body of <c>POST /api/incidents</c>: an incident, linked to the release that caused it by run id or commit if known.</summary>
public sealed record OpenIncidentRequest(string? Stack, string? Environment, DateTimeOffset? OpenedAt, string? RunId, string? Commit, string? Title)
{
    public const int MaxTitleLength = 300;

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Stack)) errors["stack"] = ["The stack is required."];
        else if (!StackName.IsValid(Stack)) errors["stack"] = [$"The stack '{Stack}' is not valid: it must be {StackName.Rule}."];
        if (string.IsNullOrWhiteSpace(Environment)) errors["environment"] = ["The environment is required."];
        else if (!StackName.IsValid(Environment)) errors["environment"] = [$"The environment '{Environment}' is not valid: it must be {StackName.Rule}."];
        if (OpenedAt is null) errors["openedAt"] = ["openedAt is required: when the incident began, as an ISO 8601 time."];
        else if (OpenedAt > now + IncidentRules.ClockSkew) errors["openedAt"] = ["openedAt is in the future."];
        if (string.IsNullOrWhiteSpace(Title)) errors["title"] = ["The title is required."];
        else if (Title.Length > MaxTitleLength) errors["title"] = [$"The title may be at most {MaxTitleLength} characters."];
        if (RunId is not null && Commit is not null) errors["runId"] = ["Give the run id or the commit, not both."];
        else if (RunId is not null && (!Runs.RunId.TryParse(RunId, out var run) || run.Stack != Stack))
            errors["runId"] = [$"'{RunId}' is not the id of a run of stack '{Stack}' ({{stack}}.{{commit}})."];
        else if (Commit is not null && !CommitId.IsValid(Commit)) errors["commit"] = [$"The commit '{Commit}' is not a commit id: it must be {CommitId.Rule}."];
        return errors;
    }
}

/// <summary>The body of <c>PATCH /api/incidents/{id}</c>.</summary>
public sealed record ResolveIncidentRequest(DateTimeOffset? ResolvedAt);

/// <summary>An incident as the API shows it.</summary>
public sealed record IncidentView(
    string Id,
    string Stack,
    string Environment,
    string Title,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    double? MinutesToRestore,
    string? RunId,
    string Source,
    bool ReleaseNeedsRemediation)
{
    public static IncidentView From(IncidentFact incident) => new(
        incident.Id, incident.Stack, incident.Environment, incident.Title, incident.OpenedAt, incident.ResolvedAt,
        incident.MinutesToRestore is { } m ? Math.Round(m, 2) : null, incident.RunId, incident.Source, incident.RunId is not null);
}

public static class IncidentRules
{
    /// <summary>How far in the future a reported time may be, for clocks that differ.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public const string ApiSource = "api";
    public const string AzureMonitorSource = "azure-monitor";
}
