using Azure;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Production releases in the <c>releases</c> table.
/// <list type="bullet">
/// <item>partition = stack, row = <see cref="MetricKeys.TimeKey"/>(released at, run id): one row per release; a window is one range.</item>
/// <item>partition = <c>run:{runId}</c>, row = "": where a run's release row is, for incidents linked by run or commit.</item>
/// </list>
/// Remediation flags (rolled back, linked incidents) are changed with optimistic concurrency, so concurrent
/// writers never lose each other's flags.
/// </summary>
public sealed class ReleaseStore(PipelineTables tables)
{
    /// <summary>Production releases: partition = stack, row = newest-first release time + run id; lookup rows under <c>run:{runId}</c>.</summary>
    private Task<TableClient> ReleasesTable => tables.Open("releases");

    private const int Attempts = 20;

    public static string Key(Release release) => MetricKeys.TimeKey(release.ReleasedAt, release.RunId);

    /// <summary>
    /// Writes a release (idempotently: the same run gives the same row), keeping the flags already on its row and
    /// adding the incidents <paramref name="linkedIncidents"/> reports. Returns the day of an older row of the same run
    /// that had a different release time and was removed, if any.
    /// </summary>
    public async Task<DateOnly?> SaveAsync(Release release, Func<CancellationToken, Task<IReadOnlyList<string>>> linkedIncidents, CancellationToken cancellation = default)
    {
        var table = await ReleasesTable;
        var key = Key(release);
        DateOnly? replacedDay = null;
        if (await FindKeyAsync(release.RunId, cancellation) is { } old && old.Key != key)
        {
            var oldRow = await table.GetEntityIfExistsAsync<TableEntity>(old.Stack, old.Key, cancellationToken: cancellation);
            if (oldRow.HasValue && oldRow.Value is { } previous)
            {
                var was = FromEntity(previous);
                release = release with { RolledBackBy = was.RolledBackBy, IncidentIds = Union(was.Incidents, release.Incidents) };
                await table.DeleteEntityAsync(old.Stack, old.Key, ETag.All, cancellation);
                replacedDay = MetricsWindow.DayOf(was.ReleasedAt);
            }
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(release.Stack, key, cancellationToken: cancellation);
            var current = existing.HasValue && existing.Value is { } row ? FromEntity(row) : null;
            var links = await linkedIncidents(cancellation);
            var merged = release with
            {
                RolledBackBy = current?.RolledBackBy ?? release.RolledBackBy,
                IncidentIds = Union(Union(current?.Incidents ?? [], release.Incidents), links),
            };
            try
            {
                if (current is null) await table.AddEntityAsync(ToEntity(merged), cancellation);
                else await table.UpdateEntityAsync(ToEntity(merged), existing.Value!.ETag, TableUpdateMode.Replace, cancellation);
            }
            catch (RequestFailedException e) when (MetricKeys.IsConflict(e))
            {
                continue;
            }
            // An incident linked while this row did not exist yet is picked up here.
            var after = await linkedIncidents(cancellation);
            if (after.All(merged.Incidents.Contains))
            {
                await WriteLookupAsync(table, release, key, cancellation);
                return replacedDay;
            }
        }
        throw new InvalidOperationException($"The release of run {release.RunId} kept changing under concurrent writers.");
    }

    /// <summary>Writes many releases of one stack at once, for seeding; no flags are merged and no lookups written unless asked.</summary>
    public async Task WriteManyAsync(IEnumerable<Release> releases, bool withLookups, CancellationToken cancellation = default)
    {
        var table = await ReleasesTable;
        var list = releases.ToList();
        await TableBatches.UpsertAsync(table, list.Select(ToEntity), TableUpdateMode.Replace, cancellation);
        if (withLookups)
        {
            foreach (var release in list) await WriteLookupAsync(table, release, Key(release), cancellation);
        }
    }

    /// <summary>Where the release of a run is, or null if the run has no release (yet).</summary>
    public async Task<(string Stack, string Key)?> FindKeyAsync(string runId, CancellationToken cancellation = default)
    {
        var table = await ReleasesTable;
        var lookup = await table.GetEntityIfExistsAsync<TableEntity>(MetricKeys.RunPartition(runId), "", cancellationToken: cancellation);
        return lookup.HasValue && lookup.Value is { } row ? (row.GetString("Stack"), row.GetString("Key")) : null;
    }

    /// <summary>The releases of a stack with from ≤ released at &lt; to: one row-key range.</summary>
    public async Task<IReadOnlyList<Release>> ReadRangeAsync(string stack, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation = default)
    {
        var rows = await MetricKeys.QueryAsync(await ReleasesTable, MetricKeys.RangeFilter(stack, from, to), cancellation);
        return rows.Select(FromEntity).ToList();
    }

    /// <summary>Adds an incident to the release of a run; returns the release, or null if the run has no release yet.</summary>
    public Task<Release?> AddIncidentAsync(string runId, string incidentId, CancellationToken cancellation = default) =>
        ChangeAsync(runId, r => r.Incidents.Contains(incidentId) ? null : r with { IncidentIds = Union(r.Incidents, [incidentId]) }, cancellation);

    /// <summary>
    /// Marks the last succeeded release before <paramref name="rollback"/> as rolled back by it.
    /// Returns that release, or null if there is none.
    /// </summary>
    public async Task<Release?> MarkRolledBackAsync(Release rollback, CancellationToken cancellation = default)
    {
        var table = await ReleasesTable;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rollback.Stack} and RowKey gt {Key(rollback)} and Status eq {Succeeded}");
        var previous = (await MetricKeys.QueryAsync(table, filter, cancellation, take: 1)).FirstOrDefault();
        if (previous is null) return null;
        return await ChangeAsync(FromEntity(previous).RunId,
            r => r.RolledBackBy == rollback.RunId ? null : r with { RolledBackBy = r.RolledBackBy ?? rollback.RunId }, cancellation);
    }

    /// <summary>Read, change, write with the row's ETag; again on a conflict. A change that returns null is already done.</summary>
    private async Task<Release?> ChangeAsync(string runId, Func<Release, Release?> change, CancellationToken cancellation)
    {
        if (await FindKeyAsync(runId, cancellation) is not { } where) return null;
        var table = await ReleasesTable;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(where.Stack, where.Key, cancellationToken: cancellation);
            if (!row.HasValue || row.Value is null) return null;
            var current = FromEntity(row.Value);
            if (change(current) is not { } changed) return current;
            try
            {
                await table.UpdateEntityAsync(ToEntity(changed), row.Value.ETag, TableUpdateMode.Replace, cancellation);
                return changed;
            }
            catch (RequestFailedException e) when (MetricKeys.IsConflict(e))
            {
            }
        }
        throw new InvalidOperationException($"The release of run {runId} kept changing under concurrent writers.");
    }

    private static Task WriteLookupAsync(TableClient table, Release release, string key, CancellationToken cancellation) =>
        table.UpsertEntityAsync(new TableEntity(MetricKeys.RunPartition(release.RunId), "")
        {
            ["Stack"] = release.Stack,
            ["Key"] = key,
            ["ReleasedAt"] = release.ReleasedAt,
        }, TableUpdateMode.Replace, cancellation);

    private const string Succeeded = "succeeded";
    private const string Failed = "failed";

    public static TableEntity ToEntity(Release r) => new(r.Stack, Key(r))
    {
        ["RunId"] = r.RunId,
        ["Commit"] = r.Commit,
        ["ChangeType"] = r.ChangeType,
        ["Status"] = r.Succeeded ? Succeeded : Failed,
        ["ReleasedAt"] = r.ReleasedAt,
        ["FirstInstanceAt"] = r.FirstInstanceAt,
        ["LastInstanceAt"] = r.LastInstanceAt,
        ["InstanceCount"] = r.InstanceCount,
        ["FailedInstances"] = r.FailedInstances,
        ["IsRollback"] = r.IsRollback,
        ["PersonSeconds"] = r.PersonSeconds,
        ["CommitsCounted"] = r.CommitsCounted,
        ["CommitsExcluded"] = r.CommitsExcluded,
        ["LeadToFirst"] = r.LeadToFirst.ToString(),
        ["LeadToLast"] = r.LeadToLast.ToString(),
        ["RolledBackBy"] = r.RolledBackBy,
        ["IncidentIds"] = r.Incidents.Count == 0 ? null : string.Join(",", r.Incidents),
        ["NeedsRemediation"] = r.NeedsRemediation,
        ["LimitedTo"] = r.LimitedTo,
    };

    public static Release FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("RunId"),
        e.GetString("Commit"),
        e.GetString("ChangeType") ?? ChangeTypeNames.Unclassified,
        e.GetDateTimeOffset("ReleasedAt") ?? default,
        e.GetString("Status") == Succeeded,
        e.GetDateTimeOffset("FirstInstanceAt"),
        e.GetDateTimeOffset("LastInstanceAt"),
        e.GetInt32("InstanceCount") ?? 0,
        e.GetInt32("FailedInstances") ?? 0,
        e.GetBoolean("IsRollback") ?? false,
        e.GetDouble("PersonSeconds"),
        DurationSketch.Parse(e.GetString("LeadToFirst")),
        DurationSketch.Parse(e.GetString("LeadToLast")),
        e.GetInt32("CommitsExcluded") ?? 0,
        e.GetString("RolledBackBy"),
        e.GetString("IncidentIds") is { Length: > 0 } ids ? ids.Split(',') : [],
        e.GetString("LimitedTo"));

    private static string[] Union(IEnumerable<string> a, IEnumerable<string> b) =>
        [.. a.Concat(b).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
