using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy;

namespace Serverless.Functions;

/// <summary>The stacks, validation, rollback and runs endpoints (StacksSurface, BuildSurface, DeploySurface, RunsSurface).</summary>
public sealed class HttpFunctions(IServiceProvider services) : SurfaceAdapter(services)
{
    [Function(nameof(ListStacks))]
    public Task<IActionResult> ListStacks(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Stacks)] HttpRequest request) =>
        Call(nameof(ListStacks), request);

    [Function(nameof(GetStack))]
    public Task<IActionResult> GetStack(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Stack)] HttpRequest request, string stack) =>
        Call(nameof(GetStack), request, stack);

    [Function(nameof(RegisterStack))]
    public Task<IActionResult> RegisterStack(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.Stack)] HttpRequest request, string stack) =>
        Call(nameof(RegisterStack), request, stack);

    [Function(nameof(ValidateStack))]
    public Task<IActionResult> ValidateStack(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ValidationApi.Route)] HttpRequest request, string stack) =>
        Call(nameof(ValidateStack), request, stack);

    [Function(nameof(RollbackStack))]
    public Task<IActionResult> RollbackStack(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = RollbackApi.Route)] HttpRequest request, string stack,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(RollbackStack), request, stack, engine);

    [Function(nameof(StartRun))]
    public Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.StackRuns)] HttpRequest request, string stack,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(StartRun), request, stack, engine);

    [Function(nameof(ListRuns))]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Runs)] HttpRequest request) =>
        Call(nameof(ListRuns), request);

    [Function(nameof(GetRun))]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Run)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(GetRun), request, id, engine);
}
