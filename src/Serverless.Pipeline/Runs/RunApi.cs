using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Runs;

/// <summary>Starting runs, following them and deciding their approval gates.</summary>
public sealed class RunApi(StackStore stacks, RunStore runs, RunStarter starter, SourceRepository sources, ApprovalStore approvals, ApprovalDecisions decisions,
    IOptions<ApprovalOptions> approvalOptions)
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
        // A run builds the stack's registered repository, and nothing else.
        if (body.Repository is not null && !RepositoryUrl.AreSame(body.Repository, definition.Repository))
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["repository"] = [$"A run of '{stack}' builds its registered repository ({definition.Repository}); leave 'repository' out, or give that one."],
            });
        var (full, unresolved) = await ResolveAsync(definition, body.Commit!, cancellation);
        if (unresolved is not null) return unresolved;

        // The message, author and time given here are shown until the build reads them from git.
        var commit = new CommitInfo(full!, definition.Repository, body.Message, body.Author, body.CommittedAt);
        var outcome = await starter.StartAsync(definition, commit, engine, cancellation, Caller.From(request.HttpContext.User)?.Name);
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var started = outcome with { StatusUrl = origin + Routes.RunPath(outcome.Id), ApprovalUrl = origin + Routes.RunApprovalPath(outcome.Id) };
        return started.AlreadyStarted
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

    /// <summary>
    /// <c>POST /api/runs/{id}/approval</c> <c>{decision, comment?}</c>: the authenticated caller decides, as themselves, through
    /// the same decision operation as the signed links (<see cref="ApprovalDecisions"/>). <c>by</c> may only name the caller,
    /// except on a LocalHost without credentials, where nobody is authenticated and it names the person, unverified.
    /// </summary>
    public async Task<IResult> DecideAsync(HttpRequest request, string id, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadAsync<ApprovalRequest>(request);
        if (problem is not null) return problem;
        var errors = body!.Validate();
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!RunId.TryParse(id, out var runId)) return Problems.NotFound($"There is no run '{id}'.");

        var caller = Caller.From(request.HttpContext.User);
        var source = ApprovalCaller.From(request, approvalOptions.Value);
        ApproverIdentity? who = null;
        if (caller is not null)
        {
            var by = body.By?.Trim();
            if (by is not null && caller.IsLocalDeveloper) who = ApproverIdentity.Typed(by);
            else if (by is not null && !caller.IsAnyOf([by]))
                return Problems.Invalid(new Dictionary<string, string[]>
                {
                    ["by"] = [$"A decision through the API is made by the authenticated caller ('{caller.Name}'), not by '{by}'; leave 'by' out."],
                });
            else who = caller.AsApprover(ApprovalDecisions.ApiSource);
        }

        var stored = await approvals.GetRequestAsync(id, RunTimeline.ApprovalStage, cancellation);
        if (stored is null)
        {
            if (await FindAsync(id, engine, cancellation) is not { } run) return Problems.NotFound($"There is no run '{id}'.");
            if (run.Status != RunStatus.AwaitingApproval) return Problems.Conflict($"Run '{id}' is not waiting for approval; it is {run.Status}.");
            // The run shows that it waits a moment before its request is recorded (links never point at a run that does
            // not wait yet); a decision that comes in that moment waits for the request rather than being refused.
            stored = await WaitForRequestAsync(id, cancellation);
            if (stored is null)
                return Problems.Conflict($"Run '{id}' waits for approval but has not recorded its approval request yet; try again in a moment.");
        }
        var choice = body.Approved ? ApprovalChoice.Approve : ApprovalChoice.Reject;
        if (who is null)
        {
            const string detail = "Deciding through the API needs an identified caller (an API key, a signed-in user); an unnamed caller, such as a function key, may not decide.";
            await decisions.AuditRefusalAsync(id, stored.Request.Gate, ApprovalAudit.Decide, choice, null, StatusCodes.Status403Forbidden,
                ApprovalRefusals.NotOperator, detail, source.SourceAddress, source.UserAgent);
            return Problems.Forbidden(detail);
        }

        var outcome = await decisions.DecideAsync(new DecisionAttempt(stored, choice, who, body.Comment, DecisionChannel.Api, caller,
            source.SourceAddress, source.UserAgent), engine, cancellation);
        if (!outcome.Succeeded)
            return Results.Problem(title: outcome.Status == StatusCodes.Status403Forbidden ? "Forbidden." : "Conflict.", detail: outcome.Detail,
                statusCode: outcome.Status, extensions: new Dictionary<string, object?> { ["reason"] = outcome.Reason });
        var recorded = outcome.Recorded!;
        return Results.Json(new ApprovalDecided(id, recorded.Gate, body.Approved ? "approve" : "reject", recorded.By, recorded.Verified, recorded.DecidedAt),
            ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<StoredApprovalRequest?> WaitForRequestAsync(string id, CancellationToken cancellation)
    {
        for (var waited = TimeSpan.Zero; waited < RequestWait; waited += RequestPoll)
        {
            await Task.Delay(RequestPoll, cancellation);
            if (await approvals.GetRequestAsync(id, RunTimeline.ApprovalStage, cancellation) is { } stored) return stored;
        }
        return null;
    }

    private static readonly TimeSpan RequestWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The full id of the commit a start names: as given when it is full, else resolved against the stack's repository;
    /// a 400 problem when it names no commit or several.
    /// </summary>
    private async Task<(string? Commit, IResult? Problem)> ResolveAsync(StackDefinition stack, string commit, CancellationToken cancellation)
    {
        if (CommitId.IsFull(commit)) return (CommitId.Normalize(commit), null);
        CommitResolution resolution;
        try
        {
            resolution = await sources.ResolveAsync(stack.Repository, commit, cancellation);
        }
        catch (LibGit2Sharp.LibGit2SharpException e)
        {
            return (null, Results.Problem(title: "The repository cannot be read.", statusCode: StatusCodes.Status502BadGateway,
                detail: $"The shortened commit '{commit}' cannot be resolved: the repository of '{stack.Name}' cannot be read ({e.Message}). Give the full 40-character id."));
        }
        if (resolution.Commit is { } full) return (full, null);
        return (null, Problems.Invalid(new Dictionary<string, string[]>
        {
            ["commit"] = [resolution.Problem ?? $"'{commit}' names no commit of the repository of '{stack.Name}'."],
        }));
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
