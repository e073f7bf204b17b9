using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Serverless.LoadDriver;

/// <summary>What the engine did for one orchestration instance, read from its history.</summary>
public sealed record InstanceHistory(string InstanceId, int Rows, int Episodes, int Activities, IReadOnlyDictionary<string, int> ActivitiesByName, IReadOnlyList<string> DeployTargets)
{
    /// <summary>
    /// Work items the engine dispatched: one per orchestrator episode (an <c>OrchestratorStarted</c> event) and
    /// one per activity (a <c>TaskScheduled</c> event; an activity re-run after a host crash is not seen here).
    /// </summary>
    public int WorkItems => Episodes + Activities;
}

/// <summary>
/// Reads the Durable Task history table of a task hub in Azure Storage (<c>{TaskHub}History</c>, one partition
/// per instance, one row per history event) and counts, per instance, its episodes and activities.
/// </summary>
public static class EngineHistory
{
    public static async Task<IReadOnlyList<InstanceHistory>> ReadAsync(string connectionString, string taskHub, IEnumerable<string> instanceIds, CancellationToken cancellation)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(taskHub + "History");
        var results = new ConcurrentBag<InstanceHistory>();
        await Parallel.ForEachAsync(instanceIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (id, token) =>
        {
            int rows = 0, episodes = 0, activities = 0;
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            var deployTargets = new List<string>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["EventType", "Name", "Input"], cancellationToken: token))
            {
                var type = row.GetString("EventType");
                if (type is null) continue; // The instance's sentinel row.
                rows++;
                if (type == "OrchestratorStarted") episodes++;
                if (type != "TaskScheduled") continue;
                activities++;
                var name = row.GetString("Name") ?? "?";
                byName[name] = byName.GetValueOrDefault(name) + 1;
                if (name == "DeployEnvironment") deployTargets.Add(DeployTarget(row.GetString("Input")));
            }
            results.Add(new InstanceHistory(id, rows, episodes, activities, byName, deployTargets));
        });
        return [.. results];
    }

    /// <summary>The environment a DeployEnvironment activity was scheduled for, from its input.</summary>
    private static string DeployTarget(string? input)
    {
        try
        {
            var node = input is null ? null : JsonNode.Parse(input);
            if (node is JsonValue value && value.TryGetValue<string>(out var nested)) node = JsonNode.Parse(nested);
            if (node is JsonArray array) node = array.FirstOrDefault();
            if (node is not JsonObject) return "?";
            var target = node?["Target"] ?? node?["target"];
            return (string?)(target?["Name"] ?? target?["name"]) ?? (string?)(node?["Environment"] ?? node?["environment"]) ?? "?";
        }
        catch (System.Text.Json.JsonException)
        {
            return "?";
        }
    }
}
