using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Pipeline.Metrics;

namespace Serverless.Functions;

/// <summary>The metrics and incidents endpoints (MetricsSurface).</summary>
public sealed class MetricsFunctions(IServiceProvider services) : SurfaceAdapter(services)
{
    [Function(nameof(GetMetrics))]
    public Task<IActionResult> GetMetrics(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = MetricsRoutes.Metrics)] HttpRequest request) =>
        Call(nameof(GetMetrics), request);

    [Function(nameof(OpenIncident))]
    public Task<IActionResult> OpenIncident(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = MetricsRoutes.Incidents)] HttpRequest request) =>
        Call(nameof(OpenIncident), request);

    [Function(nameof(ReceiveAzureMonitorAlert))]
    public Task<IActionResult> ReceiveAzureMonitorAlert(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = MetricsRoutes.AzureMonitorAlerts)] HttpRequest request) =>
        Call(nameof(ReceiveAzureMonitorAlert), request);

    [Function(nameof(GetIncident))]
    public Task<IActionResult> GetIncident(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = MetricsRoutes.Incident)] HttpRequest request, string id) =>
        Call(nameof(GetIncident), request, id);

    [Function(nameof(ResolveIncident))]
    public Task<IActionResult> ResolveIncident(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = MetricsRoutes.Incident)] HttpRequest request, string id) =>
        Call(nameof(ResolveIncident), request, id);
}
