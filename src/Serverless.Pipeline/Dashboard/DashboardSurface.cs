using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Dashboard;

/// <summary>
/// The dashboard's surface: the estate it reads, and (on the Function App, below <c>/api</c>) its static files, which
/// hold no data; the API calls they make are checked as usual. LocalHost serves the files itself at <c>/dashboard/</c>.
/// </summary>
public static class DashboardSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Get("GetEstate", DashboardRoutes.Estate, AccessLevel.Reader, call => call.Service<EstateApi>().GetAsync(call.Request)),
        ApiEndpoint.Get("Dashboard", DashboardRoutes.Files, AccessLevel.Anonymous, call => Task.FromResult(DashboardAssets.Serve(call.Request, call.RouteValue)))
            with { Hosts = RouteHosts.FunctionApp },
    ];
}
