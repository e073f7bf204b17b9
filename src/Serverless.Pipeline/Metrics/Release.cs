namespace Serverless.Pipeline.Metrics;

/// <summary>
/// One production release: a run that reached the production stage, whether it succeeded or not,
/// with what the metrics need of it. Lead times are per commit, kept as sketches so that a release with
/// thousands of commits is still one small row; build one with <see cref="Create"/> from its commits.
/// </summary>
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
    IReadOnlyList<string>? IncidentIds = null)
{
    public IReadOnlyList<string> Incidents => IncidentIds ?? [];

    /// <summary>A failed production deployment, a rollback of it, or an incident linked to it: counted once, however many apply.</summary>
    public bool NeedsRemediation => !Succeeded || RolledBackBy is not null || Incidents.Count > 0;

    /// <summary>Commits whose lead time this release counts.</summary>
    public long CommitsCounted => LeadToFirst.Count;

    /// <summary>How long after the first production instance the last one ran the release.</summary>
    public double? LagSeconds => Succeeded && FirstInstanceAt is { } first && LastInstanceAt is { } last ? Math.Max(0, (last - first).TotalSeconds) : null;

    /// <summary>
    /// A release and its commits' lead times. Lead time counts only for a release that reached every
    /// production instance; a commit made after the first instance ran the release cannot be in it
    /// (a wrong clock or a wrong link) and is counted in <see cref="CommitsExcluded"/> instead.
    /// Each commit id counts once.
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
        IReadOnlyList<string>? incidentIds = null)
    {
        var toFirst = new DurationSketch();
        var toLast = new DurationSketch();
        var excluded = 0;
        // A rollback delivers no new change: its (old) commit must not count as a very long lead time.
        if (succeeded && firstInstanceAt is { } first && lastInstanceAt is { } last && !ChangeTypeNames.IsRollback(changeType))
        {
            foreach (var change in commits.DistinctBy(c => c.Commit, StringComparer.OrdinalIgnoreCase))
            {
                if (change.CommittedAt > first)
                {
                    excluded++;
                    continue;
                }
                toFirst.Add(first - change.CommittedAt);
                toLast.Add(last - change.CommittedAt);
            }
        }
        return new Release(stack, runId, commit, ChangeTypeNames.Normalize(changeType), releasedAt, succeeded, firstInstanceAt, lastInstanceAt,
            instanceCount, failedInstances, ChangeTypeNames.IsRollback(changeType), personSeconds, toFirst, toLast, excluded, rolledBackBy, incidentIds);
    }
}
