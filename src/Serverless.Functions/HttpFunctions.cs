using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Http;

namespace Serverless.Functions;

/// <summary>One-line adapters from HTTP triggers to the shared handlers, on the same routes as LocalHost.</summary>
public sealed class HttpFunctions(StackApi stacks, RunApi runs, ValidationApi validation, RollbackApi rollback)
{
    [Function(nameof(ListStacks))]
    public Task<IActionResult> ListStacks(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Stacks)] HttpRequest request) =>
        ResultAction.From(stacks.ListAsync(request));

    [Function(nameof(GetStack))]
    public Task<IActionResult> GetStack(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Stack)] HttpRequest request, string stack) =>
        ResultAction.From(stacks.GetAsync(request, stack));

    [Function(nameof(RegisterStack))]
    public Task<IActionResult> RegisterStack(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.Stack)] HttpRequest request, string stack) =>
        ResultAction.From(stacks.RegisterAsync(request, stack));

    [Function(nameof(ValidateStack))]
    public Task<IActionResult> ValidateStack(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ValidationApi.Route)] HttpRequest request, string stack) =>
        ResultAction.From(validation.ValidateAsync(request, stack));

    [Function(nameof(RollbackStack))]
    public Task<IActionResult> RollbackStack(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = RollbackApi.Route)] HttpRequest request, string stack,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(rollback.RollbackAsync(request, stack, engine));

    [Function(nameof(StartRun))]
    public Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.StackRuns)] HttpRequest request, string stack,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(runs.StartAsync(request, stack, engine));

    [Function(nameof(ListRuns))]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Runs)] HttpRequest request) =>
        ResultAction.From(runs.ListAsync(request));

    [Function(nameof(GetRun))]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Run)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(runs.GetAsync(request, id, engine));

    [Function(nameof(DecideApproval))]
    public Task<IActionResult> DecideApproval(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.RunApproval)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(runs.DecideAsync(request, id, engine));
}
