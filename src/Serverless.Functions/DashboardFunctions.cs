using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Functions;

/// <summary>
/// The dashboard on the Function App: its static files at <c>/api/dashboard/</c> and the estate API it reads.
/// The files are anonymous: they hold no data, and every API call they make is function-level as usual (open the
/// dashboard with <c>?code=&lt;function key&gt;</c> and it passes the key on, or put App Service authentication in front).
/// </summary>
public sealed class DashboardFunctions(StackStore stacks, EnvironmentStore environments, RunStore runs, TimeProvider clock)
{
    [Function(nameof(Dashboard))]
    public IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DashboardRoutes.Files)] HttpRequest request, string? path) =>
        new ResultAction(DashboardAssets.Serve(request, path));

    [Function(nameof(GetEstate))]
    public Task<IActionResult> GetEstate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DashboardRoutes.Estate)] HttpRequest request) =>
        ResultAction.From(new EstateApi(stacks, environments, runs, clock).GetAsync(request));
}
