using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Security;

namespace Serverless.LocalHost.Api;

/// <summary>
/// Maps every declared endpoint (<see cref="PipelineSurface"/>) below <c>/api</c>, with its row of the access policy as
/// endpoint metadata: the access-control middleware reads the role and the body limit from there.
/// </summary>
public static class SurfaceEndpoints
{
    public static WebApplication MapPipelineSurface(this WebApplication app)
    {
        var api = app.MapGroup("/" + Routes.Prefix);
        foreach (var endpoint in PipelineSurface.Endpoints.Where(e => e.Hosts.HasFlag(RouteHosts.LocalHost)))
        {
            api.MapMethods(endpoint.Route, [endpoint.Method], (Func<HttpContext, Task<IResult>>)(http => endpoint.Handle(Call(endpoint, http))))
                .WithName(endpoint.Name)
                .WithMetadata(endpoint.Access)
                .DisableAntiforgery();
        }
        app.MapGet(AccessPolicy.Liveness, () => Results.Ok(new { status = "ok" })).WithMetadata(AccessPolicy.Find(HttpMethods.Get, AccessPolicy.Liveness)!);
        return app;
    }

    private static EndpointCall Call(ApiEndpoint endpoint, HttpContext http) => new(
        http.Request,
        endpoint.Parameter is { } name ? http.Request.RouteValues[name]?.ToString() : null,
        endpoint.UsesEngine ? http.RequestServices.GetRequiredService<DurableTaskClient>() : null,
        http.RequestServices);
}
