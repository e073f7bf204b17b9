using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// A commit a run delivers, as the <c>changes</c> table keeps it. A push's commits carry where they came from
/// (<paramref name="PushedAt"/>, <paramref name="Repository"/> normalized, <paramref name="Branch"/>, <paramref name="Source"/>:
/// <c>eventgrid</c> or <c>github</c>); a run's head commit recorded when the run ends carries only what git says.
/// </summary>
public sealed record ChangeEntry(
    string Commit,
    DateTimeOffset CommittedAt,
    string? Author = null,
    string? Message = null,
    DateTimeOffset? PushedAt = null,
    string? Repository = null,
    string? Branch = null,
    string? Source = null);

/// <summary>
/// The commits of each run, for lead time per commit; the only writer of both of its tables.
/// <list type="bullet">
/// <item><c>changes</c>: partition = stack, row = commit id (lowercase hex); <c>CommittedAt</c> (the commit's own time, from
/// which lead time is measured), <c>Author</c>, <c>Message</c> (at most 4,000 characters), <c>HeadCommit</c> (the commit the
/// run builds), <c>RunId</c> (the run that delivers the commit), and for a push's commits <c>PushedAt</c>, <c>Repository</c>,
/// <c>Branch</c> and <c>Source</c>. A stack's changes are one partition, read in one range query.</item>
/// <item><c>changesbyrun</c> (its index by run): partition = run id, row = commit id; CommittedAt. A release reads one small partition
/// instead of searching the stack's whole <c>changes</c> partition for its run id.</item>
/// </list>
/// Writes merge, so a redelivered push writes the same values again, a commit pushed again later (after a force push) takes the
/// later push's head and run, and a run's end keeps the columns its push set (PushedAt, Repository).
/// </summary>
public sealed class ChangeLedger(PipelineTables tables)
{
    /// <summary>The commits each run of a stack delivers; written only by <see cref="Serverless.Pipeline.Metrics.ChangeLedger"/>.</summary>
    private Task<TableClient> ChangesTable => tables.Open("changes");

    /// <summary>The commits each run delivers: partition = run id, row = commit (an index of <c>changes</c>).</summary>
    private Task<TableClient> ChangesByRunTable => tables.Open("changesbyrun");

    /// <summary>Records the commits a run delivers (a push's commits at push time, or the run's head at its end), in both tables.</summary>
    public Task RecordAsync(string stack, string runId, string headCommit, IEnumerable<ChangeEntry> changes, CancellationToken cancellation = default) =>
        RecordManyAsync(stack, [(runId, headCommit, [.. changes.DistinctBy(c => c.Commit)])], cancellation);

    /// <summary>Records the commits of many runs of one stack at once (for seeding): rows go 100 to a transaction.</summary>
    public async Task RecordManyAsync(string stack, IReadOnlyList<(string RunId, string HeadCommit, IReadOnlyList<ChangeEntry> Changes)> runs, CancellationToken cancellation = default)
    {
        if (runs.All(run => run.Changes.Count == 0)) return;
        var byStack = runs.SelectMany(run => run.Changes.Select(c => new TableEntity(stack, c.Commit)
        {
            ["CommittedAt"] = c.CommittedAt,
            ["HeadCommit"] = run.HeadCommit,
            ["RunId"] = run.RunId,
            ["Author"] = c.Author,
            ["Message"] = c.Message,
            ["PushedAt"] = c.PushedAt,
            ["Repository"] = c.Repository,
            ["Branch"] = c.Branch,
            ["Source"] = c.Source,
        }));
        await TableBatches.UpsertAsync(await ChangesTable, byStack, TableUpdateMode.Merge, cancellation);
        var byRun = runs.SelectMany(run => run.Changes.Select(c => new TableEntity(run.RunId, c.Commit)
        {
            ["Stack"] = stack,
            ["CommittedAt"] = c.CommittedAt,
        }));
        await TableBatches.UpsertAsync(await ChangesByRunTable, byRun, TableUpdateMode.Replace, cancellation);
    }

    /// <summary>The commits indexed under a run: one partition.</summary>
    public async Task<IReadOnlyList<CommitFact>> ForRunAsync(string runId, CancellationToken cancellation = default)
    {
        var rows = await MetricKeys.QueryAsync(await ChangesByRunTable, TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellation);
        return rows.Where(r => r.GetDateTimeOffset("CommittedAt") is not null)
            .Select(r => new CommitFact(r.RowKey, r.GetDateTimeOffset("CommittedAt")!.Value)).ToList();
    }

    /// <summary>One commit of a stack from the <c>changes</c> table: a point read.</summary>
    public async Task<(CommitFact? Commit, string? RunId)> FindAsync(string stack, string commit, CancellationToken cancellation = default)
    {
        var row = await (await ChangesTable).GetEntityIfExistsAsync<TableEntity>(stack, commit, cancellationToken: cancellation);
        if (!row.HasValue || row.Value is not { } entity) return (null, null);
        var at = entity.GetDateTimeOffset("CommittedAt");
        return (at is { } t ? new CommitFact(commit, t) : null, entity.GetString("RunId"));
    }

    /// <summary>The recorded changes of a stack: one partition.</summary>
    public async Task<IReadOnlyList<TableEntity>> ListAsync(string stack, CancellationToken cancellation = default) =>
        await MetricKeys.QueryAsync(await ChangesTable, TableClient.CreateQueryFilter($"PartitionKey eq {stack}"), cancellation);
}
