using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// <c>POST /api/stacks/{stack}/rollback</c> with <c>{environment?}</c>: delivers the stack's previous
/// release again — the newest completed run whose artifact differs from the newest release's — through
/// the same path (build, which must give the same version; test stages; approval; production), as a
/// remediation of the newest release. With an environment, only that environment is rolled back.
/// </summary>
public sealed class RollbackApi(StackStore stacks, RunStore runs, RunStarter starter)
{
    public const string Route = "stacks/{stack}/rollback";
    private const int SearchDepth = 100;

    public async Task<IResult> RollbackAsync(HttpRequest request, string stack, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        if (!StackName.IsValid(stack)) return Problems.NotFound($"There is no stack '{stack}'.");
        RollbackRequest body = new(null);
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var (read, problem) = await JsonBody.ReadAsync<RollbackRequest>(request);
            if (problem is not null) return problem;
            body = read!;
        }
        if (body.Environment is not null && !StackName.IsValid(body.Environment))
            return Problems.Invalid(new Dictionary<string, string[]> { ["environment"] = [$"The environment must be {StackName.Rule}."] });
        var definition = await stacks.FindAsync(stack, cancellation);
        if (definition is null) return Problems.NotFound($"There is no stack '{stack}'.");
        if (StackAccess.Refusal(definition, request, "roll back") is { } refusal) return refusal;

        var released = await runs.ListAsync(stack, RunStatus.Completed, SearchDepth, cancellation);
        if (released.Count == 0) return Problems.Conflict($"Stack '{stack}' has no release to roll back.");
        var newest = released[0];
        var previous = released.Skip(1).FirstOrDefault(r => r.ArtifactVersion is not null && r.ArtifactVersion != newest.ArtifactVersion);
        if (previous is null) return Problems.Conflict($"Stack '{stack}' has no earlier release than {newest.Id} to roll back to.");

        var commit = new CommitInfo(previous.Commit, Message: $"Rollback of {newest.Id} to {previous.Id} ({previous.ArtifactVersion})");
        var order = new RollbackOrder(previous.ArtifactVersion!, newest.Id, previous.Id, body.Environment);
        var outcome = await starter.StartRollbackAsync(definition, commit, order, engine, cancellation, Caller.From(request.HttpContext.User)?.Name);
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var statusUrl = origin + Routes.RunPath(outcome.Id);
        var answer = new RollbackStarted(outcome.Id, stack, previous.ArtifactVersion!, newest.Id, previous.Id, body.Environment, statusUrl);
        return Results.Json(answer, ApiJson.Options, statusCode: StatusCodes.Status202Accepted).WithLocation(statusUrl);
    }
}

/// <summary>The body of a rollback: which environment, or all of them.</summary>
public sealed record RollbackRequest(string? Environment);

/// <summary>The answer to a rollback: the run that delivers the earlier artifact again.</summary>
public sealed record RollbackStarted(string Id, string Stack, string Version, string Replaces, string Restores, string? Environment, string StatusUrl);
