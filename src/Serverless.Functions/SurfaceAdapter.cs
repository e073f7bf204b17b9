using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Hosting;

namespace Serverless.Functions;

/// <summary>
/// What every attribute adapter of this app does: hand its trigger's input to the endpoint or activity declared under
/// the function's name (<see cref="PipelineSurface"/>), with the invocation's services. The attributes stay because the
/// Functions indexer reads them; a test checks that they agree with the declarations.
/// </summary>
public abstract class SurfaceAdapter(IServiceProvider services)
{
    protected Task<IActionResult> Call(string function, HttpRequest request, string? routeValue = null, DurableTaskClient? engine = null)
    {
        var endpoint = PipelineSurface.FindEndpoint(function)
            ?? throw new InvalidOperationException($"The function {function} has no declared endpoint.");
        return ResultAction.From(endpoint.Handle(new EndpointCall(request, routeValue, engine, services)));
    }

    protected Task<TOutput> Run<TInput, TOutput>(string activity, TInput input) =>
        PipelineSurface.Activity<TInput, TOutput>(activity).RunAsync(services, input);
}
