using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>What the incident endpoints accept, checked before anything is written.</summary>
public sealed class IncidentInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, "prod", "title", null, null, "stack")]
    [InlineData("Bad_Name", "prod", "title", null, null, "stack")]
    [InlineData("net", null, "title", null, null, "environment")]
    [InlineData("net", "prod", "", null, null, "title")]
    [InlineData("net", "prod", "title", "other.abcdef1111111111111111111111111111111111", null, "runId")]
    [InlineData("net", "prod", "title", "net.abcdef1111111111111111111111111111111111", "abcdef1", "runId")]
    [InlineData("net", "prod", "title", null, "xyz", "commit")]
    public void Bad_incidents_name_the_field_at_fault(string? stack, string? environment, string? title, string? runId, string? commit, string field)
    {
        var errors = new OpenIncidentRequest(stack, environment, Now.AddHours(-1), runId, commit, title).Validate(Now);

        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void An_incident_needs_an_opening_time_that_is_not_in_the_future()
    {
        Assert.Contains("openedAt", new OpenIncidentRequest("net", "prod", null, null, null, "t").Validate(Now).Keys);
        Assert.Contains("openedAt", new OpenIncidentRequest("net", "prod", Now.AddHours(1), null, null, "t").Validate(Now).Keys);
        Assert.Empty(new OpenIncidentRequest("net", "prod", Now.AddMinutes(2), "net.abcdef1111111111111111111111111111111111", null, "t").Validate(Now));
    }

    [Fact]
    public void An_Azure_Monitor_alert_in_the_common_schema_is_read_from_its_essentials_and_custom_properties()
    {
        var (alert, error) = AzureMonitorAlert.Read(Alert("Resolved", """{"stack":"net","environment":"prod-a","commit":"ABCDEF1"}"""));

        Assert.Null(error);
        Assert.Equal(new AzureMonitorAlert("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/1", "High CPU: cpu above 90%", true,
            new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 10, 8, 17, 30, TimeSpan.Zero), "net", "prod-a", null, "ABCDEF1"), alert);
    }

    [Theory]
    [InlineData("Fired", """{"environment":"prod-a"}""", "custom property 'stack'")]
    [InlineData("Fired", null, "custom property 'stack'")]
    [InlineData("Fired", """{"stack":"net"}""", "custom property 'environment'")]
    [InlineData("Acknowledged", """{"stack":"net","environment":"prod-a"}""", "Fired or Resolved")]
    public void An_alert_that_cannot_be_placed_is_refused_with_a_reason(string condition, string? properties, string mention)
    {
        var (alert, error) = AzureMonitorAlert.Read(Alert(condition, properties));

        Assert.Null(alert);
        Assert.Contains(mention, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_of_another_schema_are_refused_and_alert_ids_map_to_stable_incident_ids()
    {
        var other = Alert("Fired", """{"stack":"net","environment":"prod-a"}""");
        other["schemaId"] = "Microsoft.Insights/activityLogs";

        Assert.Contains("common alert schema", AzureMonitorAlert.Read(other).Error, StringComparison.Ordinal);
        Assert.Equal(IncidentStore.IdForAlert("a/b/c"), IncidentStore.IdForAlert("a/b/c"));
        Assert.True(IncidentStore.IsValidId(IncidentStore.IdForAlert("a/b/c")));
        Assert.True(IncidentStore.IsValidId(IncidentStore.NewId()));
    }

    private static JsonObject Alert(string condition, string? customProperties) => JsonNode.Parse($$"""
        {
          "schemaId": "azureMonitorCommonAlertSchema",
          "data": {
            "essentials": {
              "alertId": "/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/1",
              "alertRule": "High CPU",
              "severity": "Sev2",
              "signalType": "Metric",
              "monitorCondition": "{{condition}}",
              "alertTargetIDs": ["/subscriptions/s/resourcegroups/rg-net-prod-a/providers/microsoft.network/virtualnetworks/vnet"],
              "firedDateTime": "2026-03-10T08:00:00.000Z",
              "resolvedDateTime": "2026-03-10T08:17:30.000Z",
              "description": "cpu above 90%"
            },
            "alertContext": {},
            "customProperties": {{customProperties ?? "null"}}
          }
        }
        """)!.AsObject();
}
