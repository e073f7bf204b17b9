namespace Serverless.Pipeline.Metrics;

/// <summary>Production deployments and the downtime observed during them, for one change type.</summary>
public sealed class ChangeTypeTotals
{
    public long Releases { get; set; }
    public long ProductionDeployments { get; set; }
    public long MeasuredDeployments { get; set; }
    public long DeploymentsWithDowntime { get; set; }
    public double DowntimeSeconds { get; set; }

    public void Merge(ChangeTypeTotals other)
    {
        Releases += other.Releases;
        ProductionDeployments += other.ProductionDeployments;
        MeasuredDeployments += other.MeasuredDeployments;
        DeploymentsWithDowntime += other.DeploymentsWithDowntime;
        DowntimeSeconds += other.DowntimeSeconds;
    }
}

/// <summary>How often an environment was deployed to (failed deployments included, and counted apart too), and when last.</summary>
public sealed class EnvironmentTotals
{
    public long Deployments { get; set; }
    public long FailedDeployments { get; set; }
    public DateTimeOffset? LastDeployedAt { get; set; }

    /// <summary>"production" or "test", as the deployments said.</summary>
    public string? Kind { get; set; }

    public void Merge(EnvironmentTotals other)
    {
        Deployments += other.Deployments;
        FailedDeployments += other.FailedDeployments;
        Kind ??= other.Kind;
        if (other.Kind == EnvironmentKinds.Production) Kind = EnvironmentKinds.Production;
        if (other.LastDeployedAt is { } at && (LastDeployedAt is null || at > LastDeployedAt)) LastDeployedAt = at;
    }
}

/// <summary>
/// Everything the metrics need of a stretch of time, in a form that adds up: the summary of a window is
/// the merge of the summaries of its days (or parts of days). A day's summary is what its rollup row
/// keeps; a part of a day at the edge of a window is summarised from raw rows when asked.
/// </summary>
public sealed class PeriodSummary
{
    public long Releases { get; set; }
    public long SucceededReleases { get; set; }
    public long Rollbacks { get; set; }

    /// <summary>Releases that needed remediation, each counted once.</summary>
    public long ReleasesNeedingRemediation { get; set; }
    public long FailedDeployments { get; set; }
    public long RolledBack { get; set; }
    public long WithIncidents { get; set; }

    /// <summary>
    /// The UTC days on which at least one release happened. A set, not a count: summaries of several stacks (or of
    /// overlapping parts) that released on the same day merge into that day once.
    /// </summary>
    public HashSet<DateOnly> ReleaseDays { get; set; } = [];

    /// <summary>Days (of the summaries merged in) on which at least one release happened, each counted once.</summary>
    public long DaysWithReleases => ReleaseDays.Count;

    public long CommitsExcluded { get; set; }
    public DurationSketch LeadToFirst { get; set; } = new();
    public DurationSketch LeadToLast { get; set; } = new();
    public DurationSketch FirstToLastLag { get; set; } = new();
    public DurationSketch PersonTime { get; set; } = new();

    public Dictionary<string, ChangeTypeTotals> ChangeTypes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, EnvironmentTotals> Environments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The summary of one day, or of one part of a day.</summary>
    public static PeriodSummary OfDay(IEnumerable<Release> releases, IEnumerable<DeploymentFact> deployments, IEnumerable<DowntimeFact> downtime)
    {
        var summary = new PeriodSummary();
        foreach (var release in releases) summary.Add(release);
        foreach (var deployment in deployments) summary.Add(deployment);
        foreach (var observation in downtime) summary.Add(observation);
        return summary;
    }

    public void Add(Release release)
    {
        Releases++;
        ReleaseDays.Add(MetricsWindow.DayOf(release.ReleasedAt));
        if (release.Succeeded) SucceededReleases++;
        if (release.IsRollback) Rollbacks++;
        if (release.NeedsRemediation) ReleasesNeedingRemediation++;
        if (!release.Succeeded) FailedDeployments++;
        if (release.RolledBackBy is not null) RolledBack++;
        if (release.Incidents.Count > 0) WithIncidents++;
        CommitsExcluded += release.CommitsExcluded;
        LeadToFirst.Merge(release.LeadToFirst);
        LeadToLast.Merge(release.LeadToLast);
        if (release.LagSeconds is { } lag) FirstToLastLag.Add(lag);
        if (release.PersonSeconds is { } person) PersonTime.Add(person);
        var type = ChangeType(release.ChangeType);
        type.Releases++;
        type.ProductionDeployments += release.ProductionDeployments;
    }

    public void Add(DeploymentFact deployment)
    {
        if (!Environments.TryGetValue(deployment.Environment, out var totals))
            Environments[deployment.Environment] = totals = new EnvironmentTotals();
        totals.Merge(new EnvironmentTotals
        {
            Deployments = 1,
            FailedDeployments = deployment.Failed ? 1 : 0,
            LastDeployedAt = deployment.FinishedAt,
            Kind = EnvironmentKinds.Of(deployment.Kind),
        });
    }

    public void Add(DowntimeFact downtime)
    {
        var type = ChangeType(ChangeTypeNames.Normalize(downtime.ChangeType));
        type.MeasuredDeployments++;
        if (downtime.Seconds > 0)
        {
            type.DeploymentsWithDowntime++;
            type.DowntimeSeconds += downtime.Seconds;
        }
    }

    public void Merge(PeriodSummary other)
    {
        Releases += other.Releases;
        SucceededReleases += other.SucceededReleases;
        Rollbacks += other.Rollbacks;
        ReleasesNeedingRemediation += other.ReleasesNeedingRemediation;
        FailedDeployments += other.FailedDeployments;
        RolledBack += other.RolledBack;
        WithIncidents += other.WithIncidents;
        ReleaseDays.UnionWith(other.ReleaseDays);
        CommitsExcluded += other.CommitsExcluded;
        LeadToFirst.Merge(other.LeadToFirst);
        LeadToLast.Merge(other.LeadToLast);
        FirstToLastLag.Merge(other.FirstToLastLag);
        PersonTime.Merge(other.PersonTime);
        foreach (var (name, totals) in other.ChangeTypes) ChangeType(name).Merge(totals);
        foreach (var (name, totals) in other.Environments)
        {
            if (!Environments.TryGetValue(name, out var mine)) Environments[name] = mine = new EnvironmentTotals();
            mine.Merge(totals);
        }
    }

    public static PeriodSummary MergeAll(IEnumerable<PeriodSummary> summaries)
    {
        var total = new PeriodSummary();
        foreach (var summary in summaries) total.Merge(summary);
        return total;
    }

    private ChangeTypeTotals ChangeType(string name)
    {
        if (!ChangeTypes.TryGetValue(name, out var totals)) ChangeTypes[name] = totals = new ChangeTypeTotals();
        return totals;
    }
}
