using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Pipeline.Http;

namespace Serverless.Functions;

/// <summary>One-line adapters from HTTP triggers to the metrics and incident handlers, on the same routes as LocalHost.</summary>
public sealed class MetricsFunctions(MetricsApi metrics, IncidentApi incidents)
{
    [Function(nameof(GetMetrics))]
    public Task<IActionResult> GetMetrics(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = MetricsRoutes.Metrics)] HttpRequest request) =>
        ResultAction.From(metrics.GetAsync(request));

    [Function(nameof(OpenIncident))]
    public Task<IActionResult> OpenIncident(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = MetricsRoutes.Incidents)] HttpRequest request) =>
        ResultAction.From(incidents.OpenAsync(request));

    [Function(nameof(ReceiveAzureMonitorAlert))]
    public Task<IActionResult> ReceiveAzureMonitorAlert(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = MetricsRoutes.AzureMonitorAlerts)] HttpRequest request) =>
        ResultAction.From(incidents.ReceiveAlertAsync(request));

    [Function(nameof(GetIncident))]
    public Task<IActionResult> GetIncident(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = MetricsRoutes.Incident)] HttpRequest request, string id) =>
        ResultAction.From(incidents.GetAsync(request, id));

    [Function(nameof(ResolveIncident))]
    public Task<IActionResult> ResolveIncident(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = MetricsRoutes.Incident)] HttpRequest request, string id) =>
        ResultAction.From(incidents.ResolveAsync(request, id));
}
