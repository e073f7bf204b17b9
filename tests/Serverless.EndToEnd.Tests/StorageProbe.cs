using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The one place where end-to-end tests read storage directly; everything else asserts through the HTTP API and the
/// engine's status, so that a change of the storage layout breaks this file only. What is read here is either a
/// storage-level guarantee (nothing is written after bad input; the engine keeps one instance per change) or not
/// exposed by any endpoint (the artifact's manifest and a deployment's log in Blob storage, the changes a push recorded
/// and the commits indexed under a run, the record of an ignored event).
/// </summary>
public sealed class StorageProbe(string connectionString, string tablePrefix = "pipe")
{
    private TableServiceClient Tables => new(connectionString);

    /// <summary>Rows in a table of the delivery record (<c>{prefix}{name}</c>), or of any table by its full name with <paramref name="fullName"/>.</summary>
    public async Task<int> RowCountAsync(string table, bool fullName = false, string? partition = null)
    {
        var client = Tables.GetTableClient(fullName ? table : tablePrefix + table);
        var count = 0;
        var rows = partition is null
            ? client.QueryAsync<TableEntity>(select: ["PartitionKey"])
            : client.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["PartitionKey"]);
        try
        {
            await foreach (var _ in rows) count++;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The table does not exist until something is written to it.
        }
        return count;
    }

    /// <summary>A row of the delivery record, if it exists.</summary>
    public async Task<TableEntity?> RowAsync(string table, string partition, string row)
    {
        var entity = await Tables.GetTableClient(tablePrefix + table).GetEntityIfExistsAsync<TableEntity>(partition, row);
        return entity.HasValue ? entity.Value : null;
    }

    /// <summary>The rows of one partition of a table of the delivery record.</summary>
    public async Task<List<TableEntity>> RowsAsync(string table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Tables.GetTableClient(tablePrefix + table).QueryAsync<TableEntity>(r => r.PartitionKey == partition)) rows.Add(row);
        return rows;
    }

    /// <summary>
    /// Every table of the delivery record and the engine's instances (of <paramref name="taskHub"/>) that has rows, with
    /// their count; the tables in <paramref name="leaveOut"/> (without the prefix) are not counted.
    /// </summary>
    public async Task<Dictionary<string, int>> RowCountsAsync(string taskHub, params string[] leaveOut)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var table in Tables.QueryAsync())
        {
            var name = table.Name;
            var isRecord = name.StartsWith(tablePrefix, StringComparison.Ordinal) && !leaveOut.Contains(name[tablePrefix.Length..]);
            if (!isRecord && name != taskHub + "Instances") continue;
            var count = await RowCountAsync(name, fullName: true);
            // A table that a read created on first use is still empty: only rows count.
            if (count > 0) counts[name] = count;
        }
        return counts;
    }

    /// <summary>The rows of the engine's instances table whose instance id lies in [from, to).</summary>
    public async Task<List<string>> InstancesAsync(string taskHub, string from, string to)
    {
        var ids = new List<string>();
        await foreach (var row in Tables.GetTableClient(taskHub + "Instances")
                           .QueryAsync<TableEntity>(r => r.PartitionKey.CompareTo(from) >= 0 && r.PartitionKey.CompareTo(to) < 0, select: ["PartitionKey"]))
            ids.Add(row.PartitionKey);
        return ids;
    }

    /// <summary>A blob's text: a container of the product's (<c>{prefix}{container}</c>).</summary>
    public async Task<string> BlobTextAsync(string container, string name) =>
        (await new BlobServiceClient(connectionString).GetBlobContainerClient(tablePrefix + container).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString();
}
