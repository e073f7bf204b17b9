namespace Serverless.Pipeline.Metrics;

/// <summary>Count, median, 90th percentile (nearest rank) and mean of durations in seconds.</summary>
public sealed record DurationStats(long Count, double? MedianSeconds, double? P90Seconds, double? MeanSeconds, bool Exact)
{
    public static DurationStats From(DurationSketch sketch) =>
        new(sketch.Count, sketch.Median, sketch.P90, Round(sketch.MeanSeconds), sketch.IsExact);

    internal static double? Round(double? value, int digits = 2) => value is { } v ? Math.Round(v, digits) : null;
}

/// <summary>Production releases in the window (each run that reached production counts once, succeeded or not).</summary>
public sealed record DeploymentFrequencyMetric(long Releases, long SucceededReleases, long DaysWithReleases, double PerDay, double PerWeek, string Level);

/// <summary>Lead time for changes, per commit, to the first and to the last production instance, and the lag between them per release.</summary>
public sealed record LeadTimeMetric(long Commits, long CommitsExcluded, DurationStats ToFirstInstance, DurationStats ToLastInstance, DurationStats FirstToLastLag, string? Level);

/// <summary>Releases that needed remediation over all releases; the parts overlap, the total counts each release once.</summary>
public sealed record ChangeFailureRateMetric(long Releases, long ReleasesNeedingRemediation, double? Rate, long FailedDeployments, long RolledBack, long WithIncidents, string? Level);

/// <summary>Incidents opened in the window, and the minutes from opening to resolution of those resolved.</summary>
public sealed record TimeToRestoreMetric(long Incidents, long Resolved, long Open, double? MedianMinutes, double? P90Minutes, double? MeanMinutes, string? Level);

/// <summary>The DORA performance level of each key; null where there is nothing to judge.</summary>
public sealed record PerformanceLevels(string DeploymentFrequency, string? LeadTime, string? ChangeFailureRate, string? TimeToRestore, string Thresholds);

/// <summary>The time people spent on a change: the wait at the approval gate of each release.</summary>
public sealed record PersonTimeMetric(long Changes, double TotalHours, DurationStats PerChange);

/// <summary>Downtime observed during production deployments of one change type.</summary>
public sealed record DowntimeMetric(
    string ChangeType,
    long Releases,
    long ProductionDeployments,
    long MeasuredDeployments,
    long DeploymentsWithDowntime,
    double DowntimeSeconds,
    double? MeanSecondsPerMeasuredDeployment);

/// <summary>
/// How much an environment is used: deployments in the window (failed ones included, and counted apart too) and how
/// long ago it was last deployed to.
/// </summary>
public sealed record EnvironmentUsageMetric(string Environment, string Kind, long Deployments, DateTimeOffset? LastUsedAt, double? DaysSinceLastUsed, long FailedDeployments = 0);

/// <summary>What one environment runs now.</summary>
public sealed record EnvironmentVersion(string Environment, string Kind, string Version, string RunId, DateTimeOffset? AppliedAt);

/// <summary>One version and where it runs.</summary>
public sealed record VersionSpread(string Version, IReadOnlyList<string> Environments);

/// <summary>The versions of a stack running across its environments now; more than one production version means drift.</summary>
public sealed record EstateVersions(int ProductionVersions, IReadOnlyList<VersionSpread> Versions, IReadOnlyList<EnvironmentVersion> Environments);

/// <summary>All metrics of one stack (or, for <c>overall</c>, of every stack together) in one window.</summary>
public sealed record StackMetrics(
    string Stack,
    DeploymentFrequencyMetric DeploymentFrequency,
    LeadTimeMetric LeadTime,
    ChangeFailureRateMetric ChangeFailureRate,
    TimeToRestoreMetric TimeToRestore,
    PerformanceLevels Performance,
    PersonTimeMetric PersonTime,
    IReadOnlyList<DowntimeMetric> Downtime,
    IReadOnlyList<EnvironmentUsageMetric> EnvironmentUsage,
    EstateVersions? Versions);

/// <summary>The answer of <c>GET /api/metrics</c>.</summary>
public sealed record MetricsReport(
    DateTimeOffset From,
    DateTimeOffset To,
    double Days,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<StackMetrics> Stacks,
    StackMetrics? Overall);
