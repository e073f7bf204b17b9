using Azure.Data.Tables;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Every deployment of a stack by time, in the <c>deploymentsbystack</c> table (the <c>deployments</c> table is
/// by run): partition = stack, row = <see cref="MetricKeys.TimeKey"/>(finished at, run id + environment).
/// Environment usage reads it for the parts of days at a window's edges.
/// </summary>
public sealed class DeploymentLog(PipelineTables tables)
{
    /// <summary>Every deployment of a stack by time: partition = stack, row = newest-first finish time + run + environment.</summary>
    private Task<TableClient> DeploymentsByStackTable => tables.Open("deploymentsbystack");

    public async Task WriteAsync(string stack, IEnumerable<DeploymentFact> deployments, CancellationToken cancellation = default)
    {
        var rows = deployments.Select(d => new TableEntity(stack, MetricKeys.TimeKey(d.FinishedAt, $"{d.RunId}.{d.Environment}"))
        {
            ["RunId"] = d.RunId,
            ["Environment"] = d.Environment,
            ["Kind"] = d.Kind.ToString(),
            ["Version"] = d.Version,
            ["StartedAt"] = d.StartedAt,
            ["FinishedAt"] = d.FinishedAt,
            ["Failed"] = d.Failed,
        });
        await TableBatches.UpsertAsync(await DeploymentsByStackTable, rows, TableUpdateMode.Replace, cancellation);
    }

    public async Task<IReadOnlyList<DeploymentFact>> ReadRangeAsync(string stack, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation = default)
    {
        var rows = await MetricKeys.QueryAsync(await DeploymentsByStackTable, MetricKeys.RangeFilter(stack, from, to), cancellation);
        return rows.Select(r => new DeploymentFact(
            r.GetString("RunId"),
            r.GetString("Environment"),
            Enum.TryParse<StageKind>(r.GetString("Kind"), out var kind) ? kind : StageKind.Test,
            r.GetString("Version"),
            r.GetDateTimeOffset("StartedAt") ?? default,
            r.GetDateTimeOffset("FinishedAt") ?? default,
            r.GetBoolean("Failed") ?? false)).ToList();
    }
}
