using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Http;

namespace Serverless.LocalHost.Api;

/// <summary>The HTTP API on the same routes and handlers as the Function App.</summary>
public static class PipelineEndpoints
{
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + Routes.Prefix);
        api.MapGet(Routes.Stacks, (HttpRequest request, StackApi stacks) => stacks.ListAsync(request));
        api.MapGet(Routes.Stack, (HttpRequest request, string stack, StackApi stacks) => stacks.GetAsync(request, stack));
        api.MapPut(Routes.Stack, (HttpRequest request, string stack, StackApi stacks) => stacks.RegisterAsync(request, stack));
        api.MapPost(ValidationApi.Route, (HttpRequest request, string stack, ValidationApi validation) => validation.ValidateAsync(request, stack));
        api.MapPost(RollbackApi.Route, (HttpRequest request, string stack, RollbackApi rollback, DurableTaskClient engine) => rollback.RollbackAsync(request, stack, engine));
        api.MapPost(Routes.StackRuns, (HttpRequest request, string stack, RunApi runs, DurableTaskClient engine) => runs.StartAsync(request, stack, engine));
        api.MapGet(Routes.Runs, (HttpRequest request, RunApi runs) => runs.ListAsync(request));
        api.MapGet(Routes.Run, (HttpRequest request, string id, RunApi runs, DurableTaskClient engine) => runs.GetAsync(request, id, engine));
        api.MapPost(Routes.RunApproval, (HttpRequest request, string id, RunApi runs, DurableTaskClient engine) => runs.DecideAsync(request, id, engine));
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        return app;
    }
}
