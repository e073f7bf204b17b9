using Serverless.Pipeline.Http;

namespace Serverless.LocalHost.Api;

/// <summary>The metrics and incidents API on the same routes and handlers as the Function App.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + Routes.Prefix);
        api.MapGet(MetricsRoutes.Metrics, (HttpRequest request, MetricsApi metrics) => metrics.GetAsync(request));
        api.MapPost(MetricsRoutes.Incidents, (HttpRequest request, IncidentApi incidents) => incidents.OpenAsync(request));
        api.MapPost(MetricsRoutes.AzureMonitorAlerts, (HttpRequest request, IncidentApi incidents) => incidents.ReceiveAlertAsync(request));
        api.MapGet(MetricsRoutes.Incident, (HttpRequest request, string id, IncidentApi incidents) => incidents.GetAsync(request, id));
        api.MapPatch(MetricsRoutes.Incident, (HttpRequest request, string id, IncidentApi incidents) => incidents.ResolveAsync(request, id));
        return app;
    }
}
