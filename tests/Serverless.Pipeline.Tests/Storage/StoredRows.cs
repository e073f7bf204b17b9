using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Storage;

/// <summary>
/// What the stores wrote, read back raw for the store tests; the product itself never reads these rows this way, so these
/// reads live here and not on the stores.
/// </summary>
public static class StoredRows
{
    /// <summary>Every row of one partition of a table.</summary>
    public static async Task<IReadOnlyList<TableEntity>> PartitionAsync(Task<TableClient> table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in (await table).QueryAsync<TableEntity>(e => e.PartitionKey == partition)) rows.Add(row);
        return rows;
    }

    /// <summary>The run holding a deployment target now (<see cref="Deploy.EnvironmentLocks"/>' holder row), if any.</summary>
    public static async Task<string?> LockHolderAsync(PipelineTables tables, string target)
    {
        var holder = await (await tables.Open("locks")).GetEntityIfExistsAsync<TableEntity>(target, "holder");
        return holder.HasValue ? holder.Value!.GetString("RunId") : null;
    }

    /// <summary>The release a run produced, through the release store's lookup row.</summary>
    public static async Task<Release?> ReleaseOfRunAsync(PipelineTables tables, ReleaseStore releases, string runId)
    {
        if (await releases.FindKeyAsync(runId) is not { } where) return null;
        var row = await (await tables.Open("releases")).GetEntityIfExistsAsync<TableEntity>(where.Stack, where.Key);
        return row.HasValue && row.Value is { } entity ? ReleaseStore.FromEntity(entity) : null;
    }

    /// <summary>A log the <see cref="Build.LogStore"/> wrote, or null.</summary>
    public static async Task<string?> LogAsync(BlobServiceClient blobs, IOptions<StorageOptions> options, string blobName)
    {
        var blob = blobs.GetBlobContainerClient(options.Value.NamePrefix + "logs").GetBlobClient(blobName);
        if (!await blob.ExistsAsync()) return null;
        return (await blob.DownloadContentAsync()).Value.Content.ToString();
    }
}
