using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Http;

/// <summary>Starting runs, following them and deciding their approval gates.</summary>
public sealed class RunApi(StackStore stacks, RunStore runs, RunStarter starter, TimeProvider clock, ILogger<RunApi> log)
{
    public const int DefaultListSize = 50;
    public const int MaxListSize = 200;

    public async Task<IResult> StartAsync(HttpRequest request, string stack, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        if (!StackName.IsValid(stack)) return Problems.NotFound($"There is no stack '{stack}'.");
        var (body, problem) = await JsonBody.ReadAsync<StartRunRequest>(request);
        if (problem is not null) return problem;
        var errors = body!.Validate();
        if (errors.Count > 0) return Problems.Invalid(errors);
        var definition = await stacks.FindAsync(stack, cancellation);
        if (definition is null) return Problems.NotFound($"There is no stack '{stack}'. Register it with PUT /api/stacks/{stack}.");
        if (StackAccess.Refusal(definition, request, "start") is { } refusal) return refusal;

        var commit = new CommitInfo(body.Commit!, body.Repository, body.Message, body.Author, body.CommittedAt);
        var outcome = await starter.StartAsync(definition, commit, engine, cancellation, Caller.From(request.HttpContext.User)?.Name);
        var started = Started(request, outcome);
        return outcome.AlreadyStarted
            ? Results.Json(started, ApiJson.Options, statusCode: StatusCodes.Status200OK)
            : Results.Json(started, ApiJson.Options, statusCode: StatusCodes.Status202Accepted).WithLocation(started.StatusUrl);
    }

    public async Task<IResult> GetAsync(HttpRequest request, string id, DurableTaskClient engine)
    {
        var view = await FindAsync(id, engine, request.HttpContext.RequestAborted);
        return view is null ? Problems.NotFound($"There is no run '{id}'.") : Results.Json(view, ApiJson.Options);
    }

    public async Task<IResult> ListAsync(HttpRequest request)
    {
        var query = request.Query;
        var stack = query["stack"].FirstOrDefault();
        if (stack is not null && !StackName.IsValid(stack))
            return Problems.BadRequest($"The stack '{stack}' is not a valid stack name: it must be {StackName.Rule}.");
        RunStatus? status = null;
        if (query["status"].FirstOrDefault() is { } statusText)
        {
            if (!Enum.TryParse<RunStatus>(statusText, ignoreCase: true, out var parsed) || int.TryParse(statusText, out _))
                return Problems.BadRequest($"The status '{statusText}' is not one of: {string.Join(", ", Enum.GetNames<RunStatus>())}.");
            status = parsed;
        }
        var take = DefaultListSize;
        if (query["take"].FirstOrDefault() is { } takeText && (!int.TryParse(takeText, out take) || take is < 1 or > MaxListSize))
            return Problems.BadRequest($"take must be a whole number from 1 to {MaxListSize}.");

        return Results.Json(await runs.ListAsync(stack, status, take, request.HttpContext.RequestAborted), ApiJson.Options);
    }

    public async Task<IResult> DecideAsync(HttpRequest request, string id, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadAsync<ApprovalRequest>(request);
        if (problem is not null) return problem;
        var errors = body!.Validate();
        if (errors.Count > 0) return Problems.Invalid(errors);

        var run = await FindAsync(id, engine, cancellation);
        if (run is null) return Problems.NotFound($"There is no run '{id}'.");
        if (run.Status != RunStatus.AwaitingApproval)
            return Problems.Conflict($"Run '{id}' is not waiting for approval; it is {run.Status}.");

        var decision = new ApprovalDecision(body.Approved, body.By!.Trim(), body.Comment, clock.GetUtcNow());
        await engine.RaiseEventAsync(id, PipelineNames.ApprovalDecisionEvent, decision, cancellation);
        log.LogInformation("Run {RunId} {Decision} by {By}", id, body.Approved ? "approved" : "rejected", decision.By);
        return Results.Json(new { id, decision = body.Approved ? "approve" : "reject", by = decision.By, decidedAt = decision.DecidedAt },
            ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>A run as the engine knows it now, or as it was recorded if the engine has forgotten it.</summary>
    private async Task<RunView?> FindAsync(string id, DurableTaskClient engine, CancellationToken cancellation)
    {
        if (!RunId.TryParse(id, out var runId)) return null;
        var instance = await engine.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation);
        if (instance is null) return await runs.GetAsync(runId, cancellation);

        var input = instance.ReadInputAs<PipelineInput>();
        if (input is null) return await runs.GetAsync(runId, cancellation);
        var view = RunView.From(input, instance.ReadCustomStatusAs<RunProgress>());
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated && !view.Status.IsFinished())
        {
            view = view with
            {
                Status = RunStatus.Failed,
                Reason = instance.FailureDetails?.ErrorMessage ?? $"the run was {instance.RuntimeStatus.ToString().ToLowerInvariant()}",
                FinishedAt = instance.LastUpdatedAt,
            };
        }
        return view;
    }

    private static RunStarted Started(HttpRequest request, StartOutcome outcome)
    {
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var id = RunId.TryParse(outcome.RunId, out var parsed) ? parsed : throw new InvalidOperationException($"Bad run id {outcome.RunId}.");
        return new RunStarted(outcome.RunId, id.Stack, id.Commit, origin + Routes.RunPath(outcome.RunId), origin + Routes.RunApprovalPath(outcome.RunId), outcome.AlreadyStarted);
    }
}

public static class ResultExtensions
{
    /// <summary>Adds a Location header to a result.</summary>
    public static IResult WithLocation(this IResult result, string location) => new LocatedResult(result, location);

    /// <summary>Forbids every cache to keep the answer (RFC 9111 <c>no-store</c>): for answers that carry credentials.</summary>
    public static IResult WithNoStore(this IResult result) => new NoStoreResult(result);

    private sealed class NoStoreResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            return inner.ExecuteAsync(httpContext);
        }
    }

    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
