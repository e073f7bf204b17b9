using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Downtime observed during deployments, in the <c>downtime</c> table: partition = stack,
/// row = <see cref="MetricKeys.TimeKey"/>(observed at, run id + environment); one row per deployment measured,
/// zero seconds included (a measured deployment without downtime is worth knowing).
/// Written through <see cref="DeliveryRecorder.RecordDowntimeAsync"/> by whatever measures availability.
/// </summary>
public sealed class DowntimeLedger(PipelineTables tables)
{
    /// <summary>Downtime observed during deployments: partition = stack, row = newest-first observed time + run + environment.</summary>
    private Task<TableClient> DowntimeTable => tables.Open("downtime");

    public async Task WriteAsync(string stack, IEnumerable<DowntimeFact> observations, CancellationToken cancellation = default)
    {
        var rows = observations.Select(d => new TableEntity(stack, MetricKeys.TimeKey(d.ObservedAt, $"{d.RunId}.{d.Environment}"))
        {
            ["RunId"] = d.RunId,
            ["Environment"] = d.Environment,
            ["ChangeType"] = ChangeTypeNames.Normalize(d.ChangeType),
            ["Seconds"] = d.Seconds,
            ["ObservedAt"] = d.ObservedAt,
        });
        await TableBatches.UpsertAsync(await DowntimeTable, rows, TableUpdateMode.Replace, cancellation);
    }

    public async Task<IReadOnlyList<DowntimeFact>> ReadRangeAsync(string stack, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation = default)
    {
        var rows = await MetricKeys.QueryAsync(await DowntimeTable, MetricKeys.RangeFilter(stack, from, to), cancellation);
        return rows.Select(r => new DowntimeFact(
            r.GetString("RunId"),
            r.GetString("Environment"),
            r.GetString("ChangeType") ?? ChangeTypeNames.Unclassified,
            r.GetDouble("Seconds") ?? 0,
            r.GetDateTimeOffset("ObservedAt") ?? default)).ToList();
    }
}
