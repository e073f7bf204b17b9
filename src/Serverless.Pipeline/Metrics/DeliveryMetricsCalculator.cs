using Serverless.Pipeline.Deploy;

namespace Serverless.Pipeline.Metrics;

/// <summary>What the calculator needs of one stack: plain values, read from storage or made up by a test.</summary>
public sealed record StackMetricsInput(
    string Stack,
    PeriodSummary Summary,
    IReadOnlyList<IncidentFact> Incidents,
    IReadOnlyList<EnvironmentState> Environments,
    IReadOnlyCollection<string> ProductionEnvironments,
    IReadOnlyCollection<string> TestEnvironments);

/// <summary>
/// Turns summaries, incidents and environment states into the delivery metrics. Pure: no storage, no
/// clock (now is given), so it is unit-tested against hand-computed fixtures and benchmarked as is.
/// </summary>
public static class DeliveryMetricsCalculator
{
    public const string OverallName = "*";

    public static StackMetrics Compute(StackMetricsInput input, MetricsWindow window, DateTimeOffset now)
    {
        var summary = input.Summary;
        var frequency = Frequency(summary, window);
        var lead = LeadTime(summary);
        var failures = ChangeFailures(summary);
        var restore = Restore(input.Incidents, window);
        return new StackMetrics(
            input.Stack,
            frequency,
            lead,
            failures,
            restore,
            new PerformanceLevels(frequency.Level, lead.Level, failures.Level, restore.Level, DoraLevels.Source),
            PersonTime(summary),
            Downtime(summary),
            Usage(input, now),
            Versions(input));
    }

    /// <summary>Every stack's window together: the summaries merge, the incidents add up; no per-environment lists.</summary>
    public static StackMetrics ComputeOverall(IReadOnlyList<StackMetricsInput> inputs, MetricsWindow window, DateTimeOffset now)
    {
        var all = new StackMetricsInput(
            OverallName,
            PeriodSummary.MergeAll(inputs.Select(i => i.Summary)),
            [.. inputs.SelectMany(i => i.Incidents)],
            [],
            [],
            []);
        return Compute(all, window, now) with { EnvironmentUsage = [], Versions = null };
    }

    public static DeploymentFrequencyMetric Frequency(PeriodSummary summary, MetricsWindow window)
    {
        var perDay = summary.Releases / window.Days;
        return new DeploymentFrequencyMetric(
            summary.Releases, summary.SucceededReleases, summary.DaysWithReleases,
            Math.Round(perDay, 4), Math.Round(perDay * 7, 4), DoraLevels.DeploymentFrequency(perDay).Name());
    }

    public static LeadTimeMetric LeadTime(PeriodSummary summary)
    {
        var toLast = DurationStats.From(summary.LeadToLast);
        var level = toLast.MedianSeconds is { } median ? DoraLevels.LeadTime(TimeSpan.FromSeconds(median)).Name() : null;
        return new LeadTimeMetric(
            summary.LeadToFirst.Count, summary.CommitsExcluded,
            DurationStats.From(summary.LeadToFirst), toLast, DurationStats.From(summary.FirstToLastLag), level);
    }

    public static ChangeFailureRateMetric ChangeFailures(PeriodSummary summary)
    {
        double? rate = summary.Releases == 0 ? null : Math.Round((double)summary.ReleasesNeedingRemediation / summary.Releases, 4);
        return new ChangeFailureRateMetric(
            summary.Releases, summary.ReleasesNeedingRemediation, rate,
            summary.FailedDeployments, summary.RolledBack, summary.WithIncidents,
            rate is { } r ? DoraLevels.ChangeFailureRate(r).Name() : null);
    }

    /// <summary>Incidents opened in the window; the minutes to restore of those resolved, by nearest rank.</summary>
    public static TimeToRestoreMetric Restore(IEnumerable<IncidentFact> incidents, MetricsWindow window)
    {
        var opened = incidents.Where(i => window.Contains(i.OpenedAt)).DistinctBy(i => i.Id).ToList();
        var minutes = opened.Select(i => i.MinutesToRestore).OfType<double>().ToList();
        var median = Percentiles.Of(minutes, 0.5);
        return new TimeToRestoreMetric(
            opened.Count, minutes.Count, opened.Count - minutes.Count,
            DurationStats.Round(median), DurationStats.Round(Percentiles.Of(minutes, 0.9)),
            DurationStats.Round(minutes.Count == 0 ? null : minutes.Average()),
            median is { } m ? DoraLevels.TimeToRestore(TimeSpan.FromMinutes(m)).Name() : null);
    }

    public static PersonTimeMetric PersonTime(PeriodSummary summary) =>
        new(summary.PersonTime.Count, Math.Round(summary.PersonTime.SumSeconds / 3600d, 2), DurationStats.From(summary.PersonTime));

    public static IReadOnlyList<DowntimeMetric> Downtime(PeriodSummary summary) =>
        summary.ChangeTypes
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new DowntimeMetric(
                t.Key, t.Value.Releases, t.Value.ProductionDeployments, t.Value.MeasuredDeployments, t.Value.DeploymentsWithDowntime,
                Math.Round(t.Value.DowntimeSeconds, 2),
                t.Value.MeasuredDeployments == 0 ? null : Math.Round(t.Value.DowntimeSeconds / t.Value.MeasuredDeployments, 2)))
            .ToList();

    /// <summary>
    /// Every environment the stack is known to have (registered, deployed to in the window, or running a version now),
    /// with its deployments in the window and the days since it was last deployed to (from its current state, which
    /// survives windows without deployments).
    /// </summary>
    public static IReadOnlyList<EnvironmentUsageMetric> Usage(StackMetricsInput input, DateTimeOffset now)
    {
        var states = input.Environments.ToDictionary(e => e.Environment, StringComparer.Ordinal);
        var names = input.TestEnvironments.Concat(input.ProductionEnvironments)
            .Concat(input.Summary.Environments.Keys)
            .Concat(states.Keys)
            .Distinct(StringComparer.Ordinal);
        return names
            .Select(name =>
            {
                input.Summary.Environments.TryGetValue(name, out var totals);
                var lastUsed = Latest(totals?.LastDeployedAt, states.GetValueOrDefault(name)?.AppliedAt);
                return new EnvironmentUsageMetric(
                    name,
                    KindOf(name, input, totals),
                    totals?.Deployments ?? 0,
                    lastUsed,
                    lastUsed is { } at ? Math.Round(Math.Max(0, (now - at).TotalDays), 2) : null,
                    totals?.FailedDeployments ?? 0);
            })
            .OrderBy(u => u.Kind == EnvironmentKinds.Production ? 1 : 0)
            .ThenBy(u => u.Environment, StringComparer.Ordinal)
            .ToList();
    }

    public static EstateVersions Versions(StackMetricsInput input)
    {
        var environments = input.Environments
            .Select(e => new EnvironmentVersion(e.Environment, KindOf(e.Environment, input, input.Summary.Environments.GetValueOrDefault(e.Environment)), e.Version, e.RunId, e.AppliedAt))
            .OrderBy(e => e.Kind == EnvironmentKinds.Production ? 1 : 0)
            .ThenBy(e => e.Environment, StringComparer.Ordinal)
            .ToList();
        var spread = environments
            .GroupBy(e => e.Version, StringComparer.Ordinal)
            .Select(g => new VersionSpread(g.Key, [.. g.Select(e => e.Environment)]))
            .OrderByDescending(v => v.Environments.Count)
            .ThenBy(v => v.Version, StringComparer.Ordinal)
            .ToList();
        var productionVersions = environments.Where(e => e.Kind == EnvironmentKinds.Production).Select(e => e.Version).Distinct(StringComparer.Ordinal).Count();
        return new EstateVersions(productionVersions, spread, environments);
    }

    private static string KindOf(string environment, StackMetricsInput input, EnvironmentTotals? totals) =>
        input.ProductionEnvironments.Contains(environment) ? EnvironmentKinds.Production
        : input.TestEnvironments.Contains(environment) ? EnvironmentKinds.Test
        : totals?.Kind ?? EnvironmentKinds.Unknown;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
