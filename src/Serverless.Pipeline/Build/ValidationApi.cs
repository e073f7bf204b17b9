using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Build;

/// <summary>
/// <c>POST /api/stacks/{stack}/validate?commit=</c>: the build's offline tests (delivery.yaml, template
/// compilation and lint, parameters) on one commit, without starting a run or writing an artifact.
/// </summary>
public sealed class ValidationApi(StackStore stacks, StackInspector inspector, SourceRepository sources)
{
    public const string Route = "stacks/{stack}/validate";

    public async Task<IResult> ValidateAsync(HttpRequest request, string stack)
    {
        var cancellation = request.HttpContext.RequestAborted;
        if (!StackName.IsValid(stack)) return Problems.NotFound($"There is no stack '{stack}'.");
        var commit = request.Query["commit"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(commit))
            return Problems.Invalid(new Dictionary<string, string[]> { ["commit"] = ["The commit to validate is required: ?commit=<id>."] });
        if (!CommitId.IsValid(commit))
            return Problems.Invalid(new Dictionary<string, string[]> { ["commit"] = [$"The commit '{commit}' is not a commit id: it must be {CommitId.Rule}."] });
        var definition = await stacks.FindAsync(stack, cancellation);
        if (definition is null) return Problems.NotFound($"There is no stack '{stack}'.");

        StackInspection inspection;
        try
        {
            var full = CommitId.IsFull(commit) ? CommitId.Normalize(commit) : (await sources.ResolveAsync(definition.Repository, commit, cancellation)) switch
            {
                { Commit: { } found } => found,
                { Problem: { } ambiguous } => throw new PermanentStageFailure(ambiguous),
                _ => throw new PermanentStageFailure($"'{commit}' names no commit of the repository of '{stack}'."),
            };
            inspection = await inspector.InspectAsync(new SourceRequest(definition.Repository, full, definition.Path), definition.Governance, cancellation);
        }
        catch (PermanentStageFailure e)
        {
            return Results.Problem(title: "The commit cannot be validated.", detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var source = inspection.Source;
        return Results.Json(new ValidationReport(
            stack,
            source.Commit,
            source.TreeHash,
            inspection.Problems.Count == 0,
            inspection.ChangeType,
            source.ChangedPaths,
            inspection.Problems,
            [.. inspection.Diagnostics.Select(d => d.ToString())],
            inspection.ToolVersions), ApiJson.Options);
    }
}

/// <summary>What validation found: the same report a build would give, every problem with where it is.</summary>
public sealed record ValidationReport(
    string Stack,
    string Commit,
    string TreeHash,
    bool Valid,
    string ChangeType,
    IReadOnlyList<string> ChangedPaths,
    IReadOnlyList<BuildProblem> Problems,
    IReadOnlyList<string> Diagnostics,
    IReadOnlyDictionary<string, string> ToolVersions);
