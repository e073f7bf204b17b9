using System.Text.Json.Nodes;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.State;

/// <summary>A what-if's result, kept for its operation-result URL.</summary>
internal sealed record WhatIfRecord(string Id, string SubscriptionId, JsonArray Changes)
{
    public JsonObject ToJson() => new()
    {
        ["status"] = "Succeeded",
        ["properties"] = new JsonObject { ["changes"] = Changes.DeepClone() },
    };
}

/// <summary>
/// Compares a template's resources with those deployed in the group, as ARM's what-if does:
/// Create (new id), NoChange / Modify (same id, same or different definition), and for
/// resources deployed but not in the template: Delete in Complete mode, Ignore in Incremental.
/// </summary>
internal static class WhatIfComparer
{
    /// <summary>Keys that do not describe the resource's state (ARM ignores them too).</summary>
    private static readonly string[] Ignored = ["apiVersion", "dependsOn", "comments", "metadata"];

    public static JsonArray Compare(IReadOnlyList<TemplateResource> wanted, IEnumerable<TemplateResource> deployed, string mode)
    {
        var current = deployed.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        var changes = new JsonArray();
        foreach (var resource in wanted)
        {
            var after = Comparable(resource.Definition);
            if (!current.Remove(resource.Id, out var existing))
            {
                changes.Add(Change(resource.Id, "Create", null, after));
                continue;
            }
            var before = Comparable(existing.Definition);
            var delta = new JsonArray();
            Diff(before, after, "", delta);
            changes.Add(Change(resource.Id, delta.Count == 0 ? "NoChange" : "Modify", before, after, delta));
        }
        var complete = string.Equals(mode, "Complete", StringComparison.OrdinalIgnoreCase);
        foreach (var leftover in current.Values.OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase))
            changes.Add(Change(leftover.Id, complete ? "Delete" : "Ignore", Comparable(leftover.Definition), null));
        return changes;
    }

    private static JsonObject Comparable(JsonObject definition)
    {
        var copy = (JsonObject)definition.DeepClone();
        foreach (var key in Ignored)
            copy.Remove(key);
        return copy;
    }

    private static JsonObject Change(string id, string changeType, JsonObject? before, JsonObject? after, JsonArray? delta = null) => new()
    {
        ["resourceId"] = id,
        ["changeType"] = changeType,
        ["before"] = before?.DeepClone(),
        ["after"] = after?.DeepClone(),
        ["delta"] = delta ?? new JsonArray(),
    };

    private static void Diff(JsonNode? before, JsonNode? after, string path, JsonArray delta)
    {
        if (JsonNode.DeepEquals(before, after))
            return;
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
                Diff(b[key], a[key], path.Length == 0 ? key : $"{path}.{key}", delta);
            return;
        }
        var type = before is null ? "Create" : after is null ? "Delete" : before is JsonArray && after is JsonArray ? "Array" : "Modify";
        delta.Add(new JsonObject
        {
            ["path"] = path,
            ["propertyChangeType"] = type,
            ["before"] = before?.DeepClone(),
            ["after"] = after?.DeepClone(),
        });
    }
}
