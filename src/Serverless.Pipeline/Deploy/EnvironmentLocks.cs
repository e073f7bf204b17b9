using Azure;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// Durable, first-in-first-out locks on deployment targets, in Table storage (no durable entities).
/// A target is a resource group; one partition per target holds a <c>holder</c> row (the run that may
/// deploy) and a queue row per waiting run, keyed by the time the run first asked. A run takes the
/// lock only when nobody holds it and its queue row is first. Every call is idempotent, so a
/// replayed or retried activity gives the same answer, and a host restart loses nothing.
/// </summary>
public sealed class EnvironmentLocks(PipelineTables tables)
{
    /// <summary>Who deploys to a resource group now, and who waits: partition = subscription:resource group; see <see cref="Deploy.EnvironmentLocks"/>.</summary>
    private Task<TableClient> LocksTable => tables.Open("locks");

    private const string HolderRow = "holder";
    private const string QueuePrefix = "q:";

    public static string TargetKey(string subscription, string resourceGroup) => $"{subscription}:{resourceGroup.ToLowerInvariant()}";

    /// <summary>Queues the run for the target (once) and takes the lock if it is the run's turn; true when the run holds it.</summary>
    public async Task<bool> TryAcquireAsync(string target, string runId, DateTimeOffset queuedAt, CancellationToken cancellation = default)
    {
        var table = await LocksTable;
        var queueRow = QueueKey(queuedAt, runId);
        await table.UpsertEntityAsync(new TableEntity(target, queueRow) { ["RunId"] = runId, ["QueuedAt"] = queuedAt }, TableUpdateMode.Replace, cancellation);

        var holder = await table.GetEntityIfExistsAsync<TableEntity>(target, HolderRow, cancellationToken: cancellation);
        if (holder.HasValue) return holder.Value!.GetString("RunId") == runId;

        var first = await FirstInQueueAsync(table, target, cancellation);
        if (first != queueRow) return false;
        try
        {
            await table.AddEntityAsync(new TableEntity(target, HolderRow) { ["RunId"] = runId, ["Since"] = DateTimeOffset.UtcNow }, cancellation);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var winner = await table.GetEntityIfExistsAsync<TableEntity>(target, HolderRow, cancellationToken: cancellation);
            return winner.HasValue && winner.Value!.GetString("RunId") == runId;
        }
        await table.DeleteEntityAsync(target, queueRow, ETag.All, cancellation);
        return true;
    }

    /// <summary>Gives the lock back (if the run holds it) and leaves the queue; safe to call any number of times.</summary>
    public async Task ReleaseAsync(string target, string runId, DateTimeOffset queuedAt, CancellationToken cancellation = default)
    {
        var table = await LocksTable;
        var holder = await table.GetEntityIfExistsAsync<TableEntity>(target, HolderRow, cancellationToken: cancellation);
        if (holder.HasValue && holder.Value!.GetString("RunId") == runId)
        {
            try
            {
                await table.DeleteEntityAsync(target, HolderRow, holder.Value.ETag, cancellation);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Released already.
            }
        }
        try
        {
            await table.DeleteEntityAsync(target, QueueKey(queuedAt, runId), ETag.All, cancellation);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Never queued, or left the queue when it took the lock.
        }
    }

    private static string QueueKey(DateTimeOffset queuedAt, string runId) => $"{QueuePrefix}{queuedAt.UtcTicks:D19}:{runId}";

    private static async Task<string?> FirstInQueueAsync(TableClient table, string target, CancellationToken cancellation)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {target} and RowKey ge {QueuePrefix} and RowKey lt {"q;"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellation))
            return row.RowKey;
        return null;
    }
}
