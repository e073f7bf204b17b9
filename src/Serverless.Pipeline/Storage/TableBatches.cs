using Azure.Data.Tables;

namespace Serverless.Pipeline.Storage;

/// <summary>The one way the stores write many rows: per partition, in entity-group transactions (all or nothing) of at most 100 rows.</summary>
public static class TableBatches
{
    public static async Task UpsertAsync(TableClient table, IEnumerable<TableEntity> rows, TableUpdateMode mode, CancellationToken cancellation)
    {
        var type = mode == TableUpdateMode.Merge ? TableTransactionActionType.UpsertMerge : TableTransactionActionType.UpsertReplace;
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.DistinctBy(r => r.RowKey).Chunk(100))
                await table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(type, row)), cancellation);
        }
    }
}
