using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// What the pipeline reads of an Azure Monitor alert in the common alert schema
/// (<c>schemaId = azureMonitorCommonAlertSchema</c>): <c>data.essentials</c> (alertId, alertRule, monitorCondition,
/// firedDateTime, resolvedDateTime) and <c>data.customProperties</c> (stack, environment, and optionally runId or
/// commit), which the alert rule's action sets. The alert's target resources are not looked up: that would need a
/// call to Azure Resource Manager for every notification, and custom properties say it directly.
/// </summary>
public sealed record AzureMonitorAlert(
    string AlertId,
    string Title,
    bool Resolved,
    DateTimeOffset FiredAt,
    DateTimeOffset? ResolvedAt,
    string Stack,
    string Environment,
    string? RunId,
    string? Commit)
{
    public const string SchemaId = "azureMonitorCommonAlertSchema";

    public static (AzureMonitorAlert? Alert, string? Error) Read(JsonObject body)
    {
        try
        {
            if (Text(body, "schemaId") is { } schema && !schema.Equals(SchemaId, StringComparison.OrdinalIgnoreCase))
                return (null, $"schemaId '{schema}' is not the common alert schema ('{SchemaId}'); turn it on in the action group.");
            if (Member(body, "data") is not JsonObject data || Member(data, "essentials") is not JsonObject essentials)
                return (null, "The alert has no data.essentials: it is not in the common alert schema.");
            var alertId = Text(essentials, "alertId");
            if (string.IsNullOrWhiteSpace(alertId)) return (null, "data.essentials.alertId is required.");
            var condition = Text(essentials, "monitorCondition");
            var resolved = string.Equals(condition, "Resolved", StringComparison.OrdinalIgnoreCase);
            if (!resolved && !string.Equals(condition, "Fired", StringComparison.OrdinalIgnoreCase))
                return (null, $"data.essentials.monitorCondition must be Fired or Resolved, not '{condition}'.");
            if (!TryTime(essentials, "firedDateTime", out var firedAt) || firedAt is null)
                return (null, "data.essentials.firedDateTime is required, as an ISO 8601 time.");
            if (!TryTime(essentials, "resolvedDateTime", out var resolvedAt))
                return (null, "data.essentials.resolvedDateTime is not an ISO 8601 time.");

            var properties = Member(data, "customProperties") as JsonObject;
            var stack = properties is null ? null : Text(properties, "stack");
            var environment = properties is null ? null : Text(properties, "environment");
            if (!StackName.IsValid(stack))
                return (null, $"The alert's custom property 'stack' must name a stack ({StackName.Rule}); it is '{stack}'. Set it in the alert rule's action custom properties.");
            if (!StackName.IsValid(environment))
                return (null, $"The alert's custom property 'environment' must name an environment ({StackName.Rule}); it is '{environment}'.");
            var runId = properties is null ? null : Text(properties, "runId");
            var commit = properties is null ? null : Text(properties, "commit");
            if (runId is not null && commit is not null) return (null, "Give the custom property runId or commit, not both.");
            if (commit is not null && !CommitId.IsValid(commit)) return (null, $"The custom property commit '{commit}' is not a commit id: it must be {CommitId.Rule}.");

            var rule = Text(essentials, "alertRule") ?? "Azure Monitor alert";
            var description = Text(essentials, "description");
            var title = string.IsNullOrWhiteSpace(description) ? rule : $"{rule}: {description}";
            if (title.Length > OpenIncidentRequest.MaxTitleLength) title = title[..OpenIncidentRequest.MaxTitleLength];
            return (new AzureMonitorAlert(alertId, title, resolved, firedAt.Value, resolvedAt, stack!, environment!, runId, commit), null);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            return (null, $"The alert is not in the common alert schema: {e.Message}");
        }
    }

    private static JsonNode? Member(JsonObject node, string name) =>
        node.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Text(JsonObject node, string name) =>
        Member(node, name) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool TryTime(JsonObject node, string name, out DateTimeOffset? at)
    {
        at = null;
        var text = Text(node, name);
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Metrics.MetricsWindow.TryParseTime(text, out var parsed)) return false;
        at = parsed;
        return true;
    }
}
