using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Stacks;

/// <summary>Registered stacks. One partition; row = stack name.</summary>
public sealed class StackStore(PipelineTables tables)
{
    private const string Partition = "stack";

    public async Task SaveAsync(StackDefinition stack, CancellationToken cancellation = default)
    {
        var table = await tables.Stacks;
        await table.UpsertEntityAsync(new TableEntity(Partition, stack.Name)
        {
            ["Repository"] = stack.Repository,
            ["TestEnvironments"] = JsonSerializer.Serialize(stack.TestEnvironments),
            ["ProductionInstances"] = JsonSerializer.Serialize(stack.ProductionInstances),
            ["ApprovalTimeoutMinutes"] = stack.ApprovalTimeout.TotalMinutes,
            ["RegisteredAt"] = stack.RegisteredAt,
        }, TableUpdateMode.Replace, cancellation);
    }

    public async Task<StackDefinition?> FindAsync(string name, CancellationToken cancellation = default)
    {
        var table = await tables.Stacks;
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellation);
        return row.HasValue && row.Value is not null ? ToDefinition(row.Value) : null;
    }

    public async Task<IReadOnlyList<StackDefinition>> ListAsync(CancellationToken cancellation = default)
    {
        var table = await tables.Stacks;
        var stacks = new List<StackDefinition>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellation))
            stacks.Add(ToDefinition(row));
        return stacks;
    }

    private static StackDefinition ToDefinition(TableEntity row) => new(
        row.RowKey,
        row.GetString("Repository"),
        JsonSerializer.Deserialize<List<string>>(row.GetString("TestEnvironments")) ?? [],
        JsonSerializer.Deserialize<List<string>>(row.GetString("ProductionInstances")) ?? [],
        TimeSpan.FromMinutes(row.GetDouble("ApprovalTimeoutMinutes") ?? StackRegistration.DefaultApprovalTimeoutMinutes),
        row.GetDateTimeOffset("RegisteredAt") ?? DateTimeOffset.MinValue);
}
