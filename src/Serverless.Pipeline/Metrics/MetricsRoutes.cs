using Serverless.Pipeline.Http;
namespace Serverless.Pipeline.Metrics;

/// <summary>Route templates of the metrics and incidents API below <c>/api</c>, the same in both hosts.</summary>
public static class MetricsRoutes
{
    public const string Metrics = "metrics";
    public const string Incidents = "incidents";
    public const string Incident = "incidents/{id}";
    public const string AzureMonitorAlerts = "incidents/azure-monitor";

    public static string IncidentPath(string id) => $"/{Routes.Prefix}/incidents/{id}";
}
