using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Metrics;

/// <summary>A commit and when it was made: one change, for lead time.</summary>
public sealed record CommitFact(string Commit, DateTimeOffset CommittedAt);

/// <summary>One application of a run's artifact to one environment (test or production); a failed one is still a deployment.</summary>
public sealed record DeploymentFact(string RunId, string Environment, StageKind Kind, string Version, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Failed = false);

/// <summary>Unavailability observed on one environment while a change of the given type was deployed to it.</summary>
public sealed record DowntimeFact(string RunId, string Environment, string ChangeType, double Seconds, DateTimeOffset ObservedAt);

/// <summary>A production incident: opened, perhaps resolved, perhaps linked to the release that caused it.</summary>
public sealed record IncidentFact(
    string Id,
    string Stack,
    string Environment,
    string Title,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    string? RunId,
    string Source,
    string? AlertId = null)
{
    public double? MinutesToRestore => ResolvedAt is { } resolved ? Math.Max(0, (resolved - OpenedAt).TotalMinutes) : null;
}

/// <summary>Names used across the metrics.</summary>
public static class ChangeTypeNames
{
    /// <summary>The change type of a run that does not carry one.</summary>
    public const string Unclassified = "unclassified";

    /// <summary>A run of this change type is a rollback: the release before it needed remediation.</summary>
    public const string Rollback = "rollback";

    public static string Normalize(string? changeType) =>
        string.IsNullOrWhiteSpace(changeType) ? Unclassified : changeType.Trim().ToLowerInvariant();

    public static bool IsRollback(string? changeType) => string.Equals(Normalize(changeType), Rollback, StringComparison.Ordinal);
}

/// <summary>What kind of environment a deployment went to, as the metrics name it.</summary>
public static class EnvironmentKinds
{
    public const string Production = "production";
    public const string Test = "test";
    public const string Unknown = "unknown";

    public static string Of(StageKind kind) => kind == StageKind.Production ? Production : Test;
}
