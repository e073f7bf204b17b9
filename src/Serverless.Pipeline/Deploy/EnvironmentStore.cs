using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Deploy;

/// <summary>What each environment of a stack runs now. Partition: the stack; row: the environment.</summary>
public sealed class EnvironmentStore(PipelineTables tables)
{
    private Task<TableClient> EnvironmentsTable => tables.Open("environments");

    public async Task RecordAppliedAsync(string stack, string environment, string version, string runId, DateTimeOffset appliedAt, CancellationToken cancellation = default)
    {
        var table = await EnvironmentsTable;
        await table.UpsertEntityAsync(new TableEntity(stack, environment)
        {
            ["Version"] = version,
            ["RunId"] = runId,
            ["AppliedAt"] = appliedAt,
        }, TableUpdateMode.Replace, cancellation);
    }

    public async Task<IReadOnlyList<EnvironmentState>> ListAsync(string stack, CancellationToken cancellation = default)
    {
        var table = await EnvironmentsTable;
        var states = new List<EnvironmentState>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == stack, cancellationToken: cancellation))
            states.Add(new EnvironmentState(row.RowKey, row.GetString("Version"), row.GetString("RunId"), row.GetDateTimeOffset("AppliedAt")));
        return states;
    }
}

public sealed record EnvironmentState(string Environment, string Version, string RunId, DateTimeOffset? AppliedAt);
