using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Keys of the metrics tables. Rows keyed by time use <see cref="TableKeys.NewestFirst"/> (inverted ticks, 19
/// digits) followed by a dot and an id, so a time window [from, to) is one contiguous row-key range of one
/// partition, and "the release before this one" is the next row.
/// </summary>
public static class MetricKeys
{
    public static string TimeKey(DateTimeOffset at, string id) => $"{TableKeys.NewestFirst(at)}.{id}";

    /// <summary>The row-key range [low, high) that holds exactly the times t with from ≤ t &lt; to.</summary>
    public static (string Low, string High) Range(DateTimeOffset from, DateTimeOffset to) =>
        (Inverted(to, plusOne: true), Inverted(from, plusOne: true));

    public static string RangeFilter(string partition, DateTimeOffset from, DateTimeOffset to)
    {
        var (low, high) = Range(from, to);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey lt {high}");
    }

    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDayKey(string key) => DateOnly.ParseExact(key, "yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Lookup partitions live beside the stacks' partitions; stack names never contain ':'.</summary>
    public static string RunPartition(string runId) => $"run:{runId}";

    public static string IdPartition(string id) => $"id:{id}";

    private static string Inverted(DateTimeOffset at, bool plusOne) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks + (plusOne ? 1 : 0)).ToString("D19", CultureInfo.InvariantCulture);

    internal static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;

    internal static async Task<List<TableEntity>> QueryAsync(TableClient table, string filter, CancellationToken cancellation, int? take = null)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: take is { } t ? Math.Min(t, 1000) : 1000, cancellationToken: cancellation))
        {
            rows.Add(row);
            if (rows.Count == take) break;
        }
        return rows;
    }
}
