using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Incidents in the <c>incidents</c> table.
/// <list type="bullet">
/// <item>partition = stack, row = <see cref="MetricKeys.TimeKey"/>(opened at, id): the incident; a window is one range.</item>
/// <item>partition = <c>id:{id}</c>, row = "": where the incident is, for PATCH and for alerts keyed by alert id.</item>
/// <item>partition = <c>run:{runId}</c>, row = id: the incidents linked to a run, read when its release is recorded.</item>
/// </list>
/// </summary>
public sealed partial class IncidentStore(PipelineTables tables)
{
    /// <summary>Incidents: partition = stack, row = newest-first opened time + id; lookups under <c>id:{id}</c> and <c>run:{runId}</c>.</summary>
    private Task<TableClient> IncidentsTable => tables.Open("incidents");

    public const string IdRule = "3 to 40 characters: lowercase letters, digits and '-'";

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static string NewId() => "inc-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The incident id of an Azure Monitor alert: the same for every notification of that alert.</summary>
    public static string IdForAlert(string alertId) =>
        "am-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(alertId)))[..24];

    /// <summary>Writes a new incident; false if one with its id exists already (then nothing changes).</summary>
    public async Task<bool> CreateAsync(IncidentFact incident, CancellationToken cancellation = default)
    {
        var table = await IncidentsTable;
        if (await FindAsync(incident.Id, cancellation) is not null) return false;
        var key = MetricKeys.TimeKey(incident.OpenedAt, incident.Id);
        try
        {
            await table.AddEntityAsync(ToEntity(incident, key), cancellation);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
        if (incident.RunId is { } runId)
        {
            await table.UpsertEntityAsync(new TableEntity(MetricKeys.RunPartition(runId), incident.Id)
            {
                ["Stack"] = incident.Stack,
                ["OpenedAt"] = incident.OpenedAt,
            }, TableUpdateMode.Replace, cancellation);
        }
        // The lookup goes last: an incident is findable by id only once it is whole.
        await table.UpsertEntityAsync(new TableEntity(MetricKeys.IdPartition(incident.Id), "")
        {
            ["Stack"] = incident.Stack,
            ["Key"] = key,
        }, TableUpdateMode.Replace, cancellation);
        return true;
    }

    public async Task<IncidentFact?> FindAsync(string id, CancellationToken cancellation = default)
    {
        var table = await IncidentsTable;
        var lookup = await table.GetEntityIfExistsAsync<TableEntity>(MetricKeys.IdPartition(id), "", cancellationToken: cancellation);
        if (!lookup.HasValue || lookup.Value is null) return null;
        var row = await table.GetEntityIfExistsAsync<TableEntity>(lookup.Value.GetString("Stack"), lookup.Value.GetString("Key"), cancellationToken: cancellation);
        return row.HasValue && row.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>Sets the time the incident was resolved; returns the incident as it is now, or null if there is none.</summary>
    public async Task<IncidentFact?> ResolveAsync(string id, DateTimeOffset resolvedAt, CancellationToken cancellation = default)
    {
        var incident = await FindAsync(id, cancellation);
        if (incident is null) return null;
        var table = await IncidentsTable;
        await table.UpdateEntityAsync(new TableEntity(incident.Stack, MetricKeys.TimeKey(incident.OpenedAt, incident.Id))
        {
            ["ResolvedAt"] = resolvedAt,
        }, ETag.All, TableUpdateMode.Merge, cancellation);
        return incident with { ResolvedAt = resolvedAt };
    }

    /// <summary>Incidents of a stack opened with from ≤ opened at &lt; to: one row-key range.</summary>
    public async Task<IReadOnlyList<IncidentFact>> ReadOpenedAsync(string stack, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation = default)
    {
        var rows = await MetricKeys.QueryAsync(await IncidentsTable, MetricKeys.RangeFilter(stack, from, to), cancellation);
        return rows.Select(FromEntity).ToList();
    }

    /// <summary>The ids of incidents linked to a run: one small partition.</summary>
    public async Task<IReadOnlyList<string>> LinkedToRunAsync(string runId, CancellationToken cancellation = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {MetricKeys.RunPartition(runId)}");
        var rows = await MetricKeys.QueryAsync(await IncidentsTable, filter, cancellation);
        return rows.Select(r => r.RowKey).ToList();
    }

    private static TableEntity ToEntity(IncidentFact i, string key) => new(i.Stack, key)
    {
        ["Id"] = i.Id,
        ["Environment"] = i.Environment,
        ["Title"] = i.Title,
        ["OpenedAt"] = i.OpenedAt,
        ["ResolvedAt"] = i.ResolvedAt,
        ["RunId"] = i.RunId,
        ["Source"] = i.Source,
        ["AlertId"] = i.AlertId,
    };

    private static IncidentFact FromEntity(TableEntity e) => new(
        e.GetString("Id"),
        e.PartitionKey,
        e.GetString("Environment"),
        e.GetString("Title"),
        e.GetDateTimeOffset("OpenedAt") ?? default,
        e.GetDateTimeOffset("ResolvedAt"),
        e.GetString("RunId"),
        e.GetString("Source"),
        e.GetString("AlertId"));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,39}$")]
    private static partial Regex IdPattern();
}
