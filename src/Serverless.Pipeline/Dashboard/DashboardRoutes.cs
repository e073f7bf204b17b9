namespace Serverless.Pipeline.Dashboard;

/// <summary>Route templates of the dashboard and its estate API below <c>/api</c> (Function App) or at the root (LocalHost).</summary>
public static class DashboardRoutes
{
    /// <summary>GET: what every environment of every stack runs now (<see cref="EstateApi"/>), below <c>/api</c> in both hosts.</summary>
    public const string Estate = "estate";

    /// <summary>GET: the dashboard's static files. The Function App serves them below <c>/api</c>, LocalHost at <c>/dashboard/</c>.</summary>
    public const string Files = "dashboard/{*path}";

    /// <summary>Where LocalHost serves the dashboard.</summary>
    public const string LocalPath = "/dashboard";
}
