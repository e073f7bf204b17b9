using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Http;

namespace Serverless.LocalHost.Api;

/// <summary>The push webhooks on the same routes and handlers as the Function App.</summary>
public static class TriggerEndpoints
{
    public static IEndpointRouteBuilder MapTriggerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + Routes.Prefix);
        api.MapPost(TriggerRoutes.EventGrid, (HttpRequest request, TriggerApi triggers, DurableTaskClient engine) => triggers.EventGridAsync(request, engine));
        api.MapMethods(TriggerRoutes.EventGrid, [HttpMethods.Options], (HttpRequest request, TriggerApi triggers) => triggers.EventGridHandshakeAsync(request));
        api.MapPost(TriggerRoutes.GitHub, (HttpRequest request, TriggerApi triggers, DurableTaskClient engine) => triggers.GitHubAsync(request, engine));
        return app;
    }
}
