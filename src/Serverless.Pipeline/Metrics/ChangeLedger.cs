using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>A commit a push brought, as the <c>changes</c> table keeps it.</summary>
public sealed record ChangeEntry(string Commit, DateTimeOffset CommittedAt, string? Author = null, string? Message = null, DateTimeOffset? PushedAt = null);

/// <summary>
/// The commits of each run, for lead time per commit.
/// <list type="bullet">
/// <item><c>changes</c> (shared with the triggers): partition = stack, row = commit id; CommittedAt, HeadCommit, RunId, Author, Message, PushedAt.</item>
/// <item><c>changesbyrun</c> (its index by run): partition = run id, row = commit id; CommittedAt. A release reads one small partition
/// instead of searching the stack's whole <c>changes</c> partition for its run id.</item>
/// </list>
/// Writes merge, so columns another writer set (PushedAt, Author) are kept.
/// </summary>
public sealed class ChangeLedger(PipelineTables tables)
{
    /// <summary>Records the commits a run delivers (a push's commits, the head last), in both tables.</summary>
    public async Task RecordAsync(string stack, string runId, string headCommit, IEnumerable<ChangeEntry> changes, CancellationToken cancellation = default)
    {
        var list = changes.DistinctBy(c => c.Commit).ToList();
        if (list.Count == 0) return;
        var byStack = list.Select(c => new TableEntity(stack, c.Commit)
        {
            ["CommittedAt"] = c.CommittedAt,
            ["HeadCommit"] = headCommit,
            ["RunId"] = runId,
            ["Author"] = c.Author,
            ["Message"] = c.Message,
            ["PushedAt"] = c.PushedAt,
        });
        await MetricKeys.UpsertInBatchesAsync(await tables.Changes, byStack, TableUpdateMode.Merge, cancellation);
        await IndexAsync(stack, runId, list.Select(c => new CommitFact(c.Commit, c.CommittedAt)), cancellation);
    }

    /// <summary>Records the commits of many runs of one stack at once (for seeding): <c>changes</c> rows go 100 to a transaction.</summary>
    public async Task RecordManyAsync(string stack, IReadOnlyList<(string RunId, string HeadCommit, IReadOnlyList<ChangeEntry> Changes)> runs, CancellationToken cancellation = default)
    {
        var byStack = runs.SelectMany(run => run.Changes.Select(c => new TableEntity(stack, c.Commit)
        {
            ["CommittedAt"] = c.CommittedAt,
            ["HeadCommit"] = run.HeadCommit,
            ["RunId"] = run.RunId,
            ["Author"] = c.Author,
            ["Message"] = c.Message,
            ["PushedAt"] = c.PushedAt,
        }));
        await MetricKeys.UpsertInBatchesAsync(await tables.Changes, byStack, TableUpdateMode.Merge, cancellation);
        var byRun = runs.SelectMany(run => run.Changes.Select(c => new TableEntity(run.RunId, c.Commit)
        {
            ["Stack"] = stack,
            ["CommittedAt"] = c.CommittedAt,
        }));
        await MetricKeys.UpsertInBatchesAsync(await tables.ChangesByRun, byRun, TableUpdateMode.Replace, cancellation);
    }

    /// <summary>Indexes commits under their run only (when the <c>changes</c> rows were written by someone else).</summary>
    public async Task IndexAsync(string stack, string runId, IEnumerable<CommitFact> commits, CancellationToken cancellation = default)
    {
        var rows = commits.Select(c => new TableEntity(runId, c.Commit)
        {
            ["Stack"] = stack,
            ["CommittedAt"] = c.CommittedAt,
        });
        await MetricKeys.UpsertInBatchesAsync(await tables.ChangesByRun, rows, TableUpdateMode.Replace, cancellation);
    }

    /// <summary>The commits indexed under a run: one partition.</summary>
    public async Task<IReadOnlyList<CommitFact>> ForRunAsync(string runId, CancellationToken cancellation = default)
    {
        var rows = await MetricKeys.QueryAsync(await tables.ChangesByRun, TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellation);
        return rows.Where(r => r.GetDateTimeOffset("CommittedAt") is not null)
            .Select(r => new CommitFact(r.RowKey, r.GetDateTimeOffset("CommittedAt")!.Value)).ToList();
    }

    /// <summary>One commit of a stack from the <c>changes</c> table: a point read.</summary>
    public async Task<(CommitFact? Commit, string? RunId)> FindAsync(string stack, string commit, CancellationToken cancellation = default)
    {
        var row = await (await tables.Changes).GetEntityIfExistsAsync<TableEntity>(stack, commit, cancellationToken: cancellation);
        if (!row.HasValue || row.Value is not { } entity) return (null, null);
        var at = entity.GetDateTimeOffset("CommittedAt");
        return (at is { } t ? new CommitFact(commit, t) : null, entity.GetString("RunId"));
    }
}
