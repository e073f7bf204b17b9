using Azure.Data.Tables;
using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The <c>changes</c> table: every commit that a push brought to a stack, the input of lead time for changes.
/// <list type="bullet">
/// <item>PartitionKey = stack name; RowKey = commit id (lowercase hex).</item>
/// <item><c>CommittedAt</c> (the commit's own timestamp, from which lead time is measured), <c>Author</c>,
/// <c>Message</c> (at most 4,000 characters), <c>HeadCommit</c> (the commit the run builds: the head of the push),
/// <c>RunId</c> (the run that delivers the commit, <c>{stack}.{HeadCommit}</c>), <c>PushedAt</c> (when the push
/// happened, from the event), <c>Repository</c> (normalized URL), <c>Branch</c> and <c>Source</c>
/// (<c>eventgrid</c> or <c>github</c>).</item>
/// </list>
/// Only the commits that change the stack's paths are rows of it. Rows are replaced on redelivery with the same
/// values, so a delivery that is retried writes nothing new; a commit pushed again later (after a force push) takes
/// the later push's head and run. A stack's changes are one partition, read in one range query.
/// </summary>
public sealed class ChangeStore(PipelineTables tables, ChangeLedger ledger)
{
    public async Task RecordAsync(string stack, RunId run, RepositoryPush push, IEnumerable<PushedCommit> commits, string normalizedRepository, string source, CancellationToken cancellation = default)
    {
        var rows = commits.DistinctBy(c => c.Id).Select(c => new TableEntity(stack, c.Id)
        {
            ["CommittedAt"] = c.CommittedAt,
            ["Author"] = c.Author,
            ["Message"] = c.Message,
            ["HeadCommit"] = push.After,
            ["RunId"] = run.ToString(),
            ["PushedAt"] = push.PushedAt,
            ["Repository"] = normalizedRepository,
            ["Branch"] = push.Branch,
            ["Source"] = source,
        }).ToList();
        if (rows.Count == 0) return;

        var table = await tables.Changes;
        // An entity-group transaction holds at most 100 rows of one partition; each is all or nothing.
        foreach (var chunk in rows.Chunk(100))
            await table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellation);

        // Lead time counts every commit a release delivers, not only its head: index them under the run.
        await ledger.IndexAsync(stack, run.ToString(),
            commits.DistinctBy(c => c.Id).Select(c => new CommitFact(CommitId.Normalize(c.Id), c.CommittedAt)), cancellation);
    }
}
