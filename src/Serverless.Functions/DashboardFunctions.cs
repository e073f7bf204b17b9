using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Pipeline.Dashboard;

namespace Serverless.Functions;

/// <summary>
/// The dashboard (DashboardSurface): its static files at <c>/api/dashboard/</c>, anonymous because they hold no data,
/// and the estate API it reads, function-level as usual (open the dashboard with <c>?code=&lt;function key&gt;</c> and
/// it passes the key on, or put App Service authentication in front).
/// </summary>
public sealed class DashboardFunctions(IServiceProvider services) : SurfaceAdapter(services)
{
    [Function(nameof(Dashboard))]
    public Task<IActionResult> Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DashboardRoutes.Files)] HttpRequest request, string? path) =>
        Call(nameof(Dashboard), request, path);

    [Function(nameof(GetEstate))]
    public Task<IActionResult> GetEstate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DashboardRoutes.Estate)] HttpRequest request) =>
        Call(nameof(GetEstate), request);
}
