namespace Serverless.Pipeline.Metrics;

/// <summary>
/// One production release: a run that reached the production stage, whether it succeeded or not,
/// with what the metrics need of it. Lead times are per commit, kept as sketches so that a release with
/// thousands of commits is still one small row; build one with <see cref="Create"/> from its commits.
/// </summary>
/// <param name="InstanceCount">Production instances the release was applied to successfully.</param>
/// <param name="FailedInstances">Production instances whose deployment of the release failed.</param>
/// <param name="LimitedTo">
/// The one environment a partial redelivery (a rollback of one environment) was limited to; null for a release
/// meant for every production instance.
/// </param>
public sealed record Release(
    string Stack,
    string RunId,
    string Commit,
    string ChangeType,
    DateTimeOffset ReleasedAt,
    bool Succeeded,
    DateTimeOffset? FirstInstanceAt,
    DateTimeOffset? LastInstanceAt,
    int InstanceCount,
    int FailedInstances,
    bool IsRollback,
    double? PersonSeconds,
    DurationSketch LeadToFirst,
    DurationSketch LeadToLast,
    int CommitsExcluded,
    string? RolledBackBy = null,
    IReadOnlyList<string>? IncidentIds = null,
    string? LimitedTo = null)
{
    public IReadOnlyList<string> Incidents => IncidentIds ?? [];

    /// <summary>A failed production deployment, a rollback of it, or an incident linked to it: counted once, however many apply.</summary>
    public bool NeedsRemediation => !Succeeded || RolledBackBy is not null || Incidents.Count > 0;

    /// <summary>
    /// The release runs on every production instance: it succeeded and was meant for all of them. Only such a
    /// release has a lead time to the last instance and a first-to-last lag; a partial redelivery is a remediation.
    /// </summary>
    public bool ReachedEveryInstance => Succeeded && LimitedTo is null && FirstInstanceAt is not null && LastInstanceAt is not null;

    /// <summary>Production deployments the release made, failed ones included: a failed deployment is still a deployment.</summary>
    public int ProductionDeployments => InstanceCount + FailedInstances;

    /// <summary>Commits whose lead time this release counts.</summary>
    public long CommitsCounted => LeadToFirst.Count;

    /// <summary>How long after the first production instance the last one ran the release.</summary>
    public double? LagSeconds => ReachedEveryInstance ? Math.Max(0, (LastInstanceAt!.Value - FirstInstanceAt!.Value).TotalSeconds) : null;

    /// <summary>
    /// A release and its commits' lead times. Lead time counts only for a release that reached every
    /// production instance and delivers new changes (not a rollback); a commit made after the first instance
    /// ran the release cannot be in it (a wrong clock or a wrong link) and is counted in <see cref="CommitsExcluded"/>
    /// instead. Each commit id counts once.
    /// </summary>
    public static Release Create(
        string stack,
        string runId,
        string commit,
        string? changeType,
        DateTimeOffset releasedAt,
        bool succeeded,
        DateTimeOffset? firstInstanceAt,
        DateTimeOffset? lastInstanceAt,
        int instanceCount,
        int failedInstances,
        double? personSeconds,
        IEnumerable<CommitFact> commits,
        string? rolledBackBy = null,
        IReadOnlyList<string>? incidentIds = null,
        string? limitedTo = null)
    {
        var release = new Release(stack, runId, commit, ChangeTypeNames.Normalize(changeType), releasedAt, succeeded, firstInstanceAt, lastInstanceAt,
            instanceCount, failedInstances, ChangeTypeNames.IsRollback(changeType), personSeconds, new DurationSketch(), new DurationSketch(), 0,
            rolledBackBy, incidentIds, limitedTo);
        // A rollback delivers no new change: its (old) commit must not count as a very long lead time.
        if (!release.ReachedEveryInstance || release.IsRollback) return release;
        var (first, last) = (firstInstanceAt!.Value, lastInstanceAt!.Value);
        var excluded = 0;
        foreach (var change in commits.DistinctBy(c => c.Commit, StringComparer.OrdinalIgnoreCase))
        {
            if (change.CommittedAt > first)
            {
                excluded++;
                continue;
            }
            release.LeadToFirst.Add(first - change.CommittedAt);
            release.LeadToLast.Add(last - change.CommittedAt);
        }
        return release with { CommitsExcluded = excluded };
    }
}
