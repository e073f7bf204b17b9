using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Pipeline.Hosting;

/// <summary>
/// What a declared endpoint's handler gets from either host: the request, the value of the route's one parameter,
/// the engine's client (when the endpoint <see cref="ApiEndpoint.UsesEngine"/>) and the invocation's services.
/// </summary>
public sealed record EndpointCall(HttpRequest Request, string? RouteValue, DurableTaskClient? EngineClient, IServiceProvider Services)
{
    /// <summary>The route parameter's value; the hosts' routing guarantees it for a route that has one.</summary>
    public string Value => RouteValue ?? "";

    public DurableTaskClient Engine => EngineClient
        ?? throw new InvalidOperationException("This endpoint is not declared as one that uses the engine, so the host gave it no durable client.");

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();
}
