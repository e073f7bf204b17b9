using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Dashboard;

namespace Serverless.Pipeline.Security;

/// <summary>Who may call a route. Ordered: each role may do everything the roles below it may.</summary>
public enum AccessLevel
{
    /// <summary>No API credential: the route carries its own (a webhook secret or signature, a signed approval link) or holds no data.</summary>
    Anonymous = 0,

    /// <summary>Reads runs, stacks, metrics, the estate, incidents and approval trails.</summary>
    Reader = 1,

    /// <summary>Starts runs, decides approvals through the API or obtains their signed links, opens and resolves incidents, validates commits, rolls a stack back.</summary>
    Operator = 2,

    /// <summary>Registers stacks.</summary>
    Admin = 3,
}

/// <summary>Which host maps a route: both, or only one of them.</summary>
[Flags]
public enum RouteHosts
{
    FunctionApp = 1,
    LocalHost = 2,
    Both = FunctionApp | LocalHost,
}

/// <summary>
/// One row of the access policy: an HTTP method on a route template (a path from the root, e.g. <c>/api/stacks/{stack}</c>).
/// <paramref name="MaxRequestBodyBytes"/> is the route's body limit; null for the push webhooks, whose limit is the one
/// setting <c>Triggers:MaxBodyBytes</c> (<see cref="Triggers.TriggerOptions.MaxBodyBytes"/>) that their handler applies too.
/// </summary>
public sealed record RouteAccess(string Method, string Template, AccessLevel Level, long? MaxRequestBodyBytes, RouteHosts Hosts = RouteHosts.Both)
{
    /// <summary>The template as the Function App declares it: below its <c>/api</c> route prefix.</summary>
    public string? FunctionRoute => Template.StartsWith(AccessPolicy.ApiPrefix, StringComparison.Ordinal) ? Template[AccessPolicy.ApiPrefix.Length..] : null;
}

/// <summary>
/// The one table of every HTTP route of both hosts and who may call it, built from the declared endpoints. LocalHost
/// enforces it on every request (a route that is not in the table is denied); the Function App's authorization levels
/// are checked against it by a test, and its worker middleware requires the row's app role.
/// </summary>
public static class AccessPolicy
{
    public const string ApiPrefix = "/" + Routes.Prefix + "/";

    /// <summary>The body limit of every other route.</summary>
    public const long DefaultBodyLimit = 64 * 1024;

    /// <summary>The LocalHost-only diagnostic listing of its mapped routes, mapped only when <c>Security:ExposeRouteTable=true</c>.</summary>
    public const string RouteTableDiagnostic = "/_diagnostics/routes";

    /// <summary>LocalHost's liveness route, for load balancers and the tests.</summary>
    public const string Liveness = "/healthz";

    /// <summary>
    /// Every declared endpoint's row (see <see cref="PipelineSurface"/>), then the routes LocalHost serves itself:
    /// the dashboard's files (they hold no data; the API calls they make are checked as usual), liveness, and the diagnostic.
    /// </summary>
    private static readonly RouteAccess[] Table =
    [
        .. PipelineSurface.Endpoints.Select(e => e.Access),
        new("GET", DashboardRoutes.LocalPath + "/{**path}", AccessLevel.Anonymous, DefaultBodyLimit, RouteHosts.LocalHost),
        new("GET", "/", AccessLevel.Anonymous, DefaultBodyLimit, RouteHosts.LocalHost),
        new("GET", Liveness, AccessLevel.Anonymous, DefaultBodyLimit, RouteHosts.LocalHost),
        new("GET", RouteTableDiagnostic, AccessLevel.Admin, DefaultBodyLimit, RouteHosts.LocalHost),
    ];

    /// <summary>Every row.</summary>
    public static IReadOnlyList<RouteAccess> All => Table;

    /// <summary>The row of a method on a route template (from the root, or below <c>/api</c> for the Function App), or null: then the route must be denied.</summary>
    public static RouteAccess? Find(string method, string template)
    {
        var normalized = "/" + template.Trim().TrimStart('/');
        return Table.FirstOrDefault(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
                                         && string.Equals(r.Template, normalized, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The row of a Function App HTTP trigger: its method and its route below the <c>/api</c> prefix.</summary>
    public static RouteAccess? FindFunction(string method, string route) =>
        Find(method, ApiPrefix + route.TrimStart('/')) is { } row && row.Hosts.HasFlag(RouteHosts.FunctionApp) ? row : null;

    /// <summary>Whether a caller of the role may call a route of the level.</summary>
    public static bool Allows(AccessLevel role, AccessLevel required) => role >= required;

}
