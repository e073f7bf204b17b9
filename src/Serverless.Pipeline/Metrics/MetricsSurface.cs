using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Metrics;

/// <summary>The metrics and incidents slice's surface.</summary>
public static class MetricsSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Get("GetMetrics", MetricsRoutes.Metrics, AccessLevel.Reader, call => call.Service<MetricsApi>().GetAsync(call.Request)),
        ApiEndpoint.Post("OpenIncident", MetricsRoutes.Incidents, AccessLevel.Operator, call => call.Service<IncidentApi>().OpenAsync(call.Request)),
        ApiEndpoint.Post("ReceiveAzureMonitorAlert", MetricsRoutes.AzureMonitorAlerts, AccessLevel.Operator, call => call.Service<IncidentApi>().ReceiveAlertAsync(call.Request))
            with { MaxRequestBodyBytes = IncidentApi.AlertBodyLimit },
        ApiEndpoint.Get("GetIncident", MetricsRoutes.Incident, AccessLevel.Reader, call => call.Service<IncidentApi>().GetAsync(call.Request, call.Value)),
        ApiEndpoint.Patch("ResolveIncident", MetricsRoutes.Incident, AccessLevel.Operator, call => call.Service<IncidentApi>().ResolveAsync(call.Request, call.Value)),
    ];
}
