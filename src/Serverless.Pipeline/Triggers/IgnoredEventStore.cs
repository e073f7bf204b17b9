using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The <c>ignoredevents</c> table: events that were accepted but started no run, and why (unknown repository, a
/// branch no stack delivers, no stack's paths changed, a deleted branch, not a push). They are answered 2xx so that
/// Event Grid does not retry them for a day; this table is where an operator sees them.
/// PartitionKey = day received (<c>yyyyMMdd</c>, UTC); RowKey = <c>{source}.{event id}</c>, so a redelivery on the
/// same day rewrites its row. Columns: <c>Source</c>, <c>EventId</c>, <c>EventType</c>, <c>Repository</c>, <c>Ref</c>,
/// <c>After</c>, <c>Reason</c>, <c>ReceivedAt</c>.
/// </summary>
public sealed class IgnoredEventStore(PipelineTables tables)
{
    /// <summary>Push events that started no run, and why; see <see cref="Serverless.Pipeline.Triggers.IgnoredEventStore"/>.</summary>
    private Task<TableClient> IgnoredEventsTable => tables.Open("ignoredevents");

    public static string Partition(DateTimeOffset receivedAt) => receivedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public async Task RecordAsync(string source, string eventId, string eventType, RepositoryPush? push, string reason, DateTimeOffset receivedAt, CancellationToken cancellation = default)
    {
        var table = await IgnoredEventsTable;
        await table.UpsertEntityAsync(new TableEntity(Partition(receivedAt), $"{source}.{KeySafe(eventId)}")
        {
            ["Source"] = source,
            ["EventId"] = eventId,
            ["EventType"] = eventType,
            ["Repository"] = push?.Repository,
            ["Ref"] = push?.Ref,
            ["After"] = push?.After,
            ["Reason"] = reason,
            ["ReceivedAt"] = receivedAt,
        }, TableUpdateMode.Replace, cancellation);
    }

    /// <summary>Table keys may not hold '/', '\', '#', '?' or control characters.</summary>
    private static string KeySafe(string id)
    {
        var key = new StringBuilder(Math.Min(id.Length, 200));
        foreach (var c in id.Take(200)) key.Append(char.IsControl(c) || c is '/' or '\\' or '#' or '?' ? '_' : c);
        return key.ToString();
    }
}
