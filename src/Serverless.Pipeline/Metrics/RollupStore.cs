using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Daily rollups in the <c>rollups</c> table: partition = stack, row = yyyyMMdd (UTC day); one
/// <see cref="PeriodSummary"/> per row, its sketches in columns of their own. A rollup is never incremented:
/// it is recomputed from the day's raw rows (releases, deployments, downtime: three row-key ranges) and written
/// with the ETag read before them, so a replayed activity cannot count twice and concurrent writers cannot lose
/// each other's rows (the last successful writer read every row written before it began).
/// </summary>
public sealed class RollupStore(PipelineTables tables, ReleaseStore releases, DeploymentLog deployments, DowntimeLedger downtime)
{
    /// <summary>Daily metric rollups: partition = stack, row = yyyyMMdd (UTC).</summary>
    private Task<TableClient> RollupsTable => tables.Open("rollups");

    private const int Attempts = 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>Recomputes the rollup of one day of a stack from its raw rows.</summary>
    public async Task<PeriodSummary> RefreshAsync(string stack, DateOnly day, CancellationToken cancellation = default)
    {
        var table = await RollupsTable;
        var (from, to) = (MetricsWindow.StartOf(day), MetricsWindow.StartOf(day.AddDays(1)));
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(stack, MetricKeys.DayKey(day), cancellationToken: cancellation);
            var summary = PeriodSummary.OfDay(
                await releases.ReadRangeAsync(stack, from, to, cancellation),
                await deployments.ReadRangeAsync(stack, from, to, cancellation),
                await downtime.ReadRangeAsync(stack, from, to, cancellation));
            var row = ToEntity(stack, day, summary);
            try
            {
                if (existing.HasValue && existing.Value is { } current) await table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, cancellation);
                else await table.AddEntityAsync(row, cancellation);
                return summary;
            }
            catch (RequestFailedException e) when (MetricKeys.IsConflict(e))
            {
                // Someone else refreshed the day meanwhile: read again.
            }
        }
        throw new InvalidOperationException($"The rollup of {stack} on {day:yyyy-MM-dd} kept changing under concurrent writers.");
    }

    /// <summary>The rollups of the whole days [first, end): one row-key range.</summary>
    public async Task<IReadOnlyList<(DateOnly Day, PeriodSummary Summary)>> ReadDaysAsync(string stack, DateOnly first, DateOnly end, CancellationToken cancellation = default)
    {
        if (end <= first) return [];
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {stack} and RowKey ge {MetricKeys.DayKey(first)} and RowKey lt {MetricKeys.DayKey(end)}");
        var rows = await MetricKeys.QueryAsync(await RollupsTable, filter, cancellation);
        return rows.Select(r => (MetricKeys.ParseDayKey(r.RowKey), FromEntity(r))).ToList();
    }

    public static TableEntity ToEntity(string stack, DateOnly day, PeriodSummary s) => new(stack, MetricKeys.DayKey(day))
    {
        ["Releases"] = s.Releases,
        ["SucceededReleases"] = s.SucceededReleases,
        ["Rollbacks"] = s.Rollbacks,
        ["ReleasesNeedingRemediation"] = s.ReleasesNeedingRemediation,
        ["FailedDeployments"] = s.FailedDeployments,
        ["RolledBack"] = s.RolledBack,
        ["WithIncidents"] = s.WithIncidents,
        ["CommitsExcluded"] = s.CommitsExcluded,
        ["LeadToFirst"] = s.LeadToFirst.ToString(),
        ["LeadToLast"] = s.LeadToLast.ToString(),
        ["FirstToLastLag"] = s.FirstToLastLag.ToString(),
        ["PersonTime"] = s.PersonTime.ToString(),
        ["ChangeTypes"] = JsonSerializer.Serialize(s.ChangeTypes, Json),
        ["Environments"] = JsonSerializer.Serialize(s.Environments, Json),
    };

    public static PeriodSummary FromEntity(TableEntity e) => new()
    {
        Releases = e.GetInt64("Releases") ?? 0,
        SucceededReleases = e.GetInt64("SucceededReleases") ?? 0,
        Rollbacks = e.GetInt64("Rollbacks") ?? 0,
        ReleasesNeedingRemediation = e.GetInt64("ReleasesNeedingRemediation") ?? 0,
        FailedDeployments = e.GetInt64("FailedDeployments") ?? 0,
        RolledBack = e.GetInt64("RolledBack") ?? 0,
        WithIncidents = e.GetInt64("WithIncidents") ?? 0,
        // A day's row holds that day's releases only: the day is its key.
        ReleaseDays = (e.GetInt64("Releases") ?? 0) > 0 ? [MetricKeys.ParseDayKey(e.RowKey)] : [],
        CommitsExcluded = e.GetInt64("CommitsExcluded") ?? 0,
        LeadToFirst = DurationSketch.Parse(e.GetString("LeadToFirst")),
        LeadToLast = DurationSketch.Parse(e.GetString("LeadToLast")),
        FirstToLastLag = DurationSketch.Parse(e.GetString("FirstToLastLag")),
        PersonTime = DurationSketch.Parse(e.GetString("PersonTime")),
        ChangeTypes = Read<ChangeTypeTotals>(e.GetString("ChangeTypes")),
        Environments = Read<EnvironmentTotals>(e.GetString("Environments")),
    };

    private static Dictionary<string, T> Read<T>(string? json) =>
        json is null ? new(StringComparer.Ordinal) : new(JsonSerializer.Deserialize<Dictionary<string, T>>(json, Json) ?? [], StringComparer.Ordinal);
}
