using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// Starts the run of one change of a stack, once: the run id is derived from (stack, commit), so
/// a second delivery of the same change finds the run the first one started.
/// </summary>
public sealed class RunStarter(TimeProvider clock, ILogger<RunStarter> log)
{
    public async Task<StartOutcome> StartAsync(StackDefinition stack, CommitInfo commit, DurableTaskClient engine, CancellationToken cancellation = default)
    {
        var id = RunId.For(stack.Name, commit.Id).ToString();
        if (await engine.GetInstanceAsync(id, cancellation) is not null) return new StartOutcome(id, AlreadyStarted: true);

        var input = new PipelineInput(
            id,
            stack.Name,
            commit with { Id = CommitId.Normalize(commit.Id), Repository = commit.Repository ?? stack.Repository },
            stack.TestEnvironments,
            stack.ProductionInstances,
            stack.ApprovalTimeout,
            clock.GetUtcNow(),
            stack.Path);
        try
        {
            await engine.ScheduleNewOrchestrationInstanceAsync(PipelineNames.Orchestrator, input, new StartOrchestrationOptions(id), cancellation);
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            // Two deliveries of the same change raced; the other one started the run.
            return new StartOutcome(id, AlreadyStarted: true);
        }
        log.LogInformation("Run {RunId} started for {Stack} at {Commit}", id, stack.Name, input.Commit.Id);
        return new StartOutcome(id, AlreadyStarted: false);
    }

    private static bool IsAlreadyExists(Exception e) =>
        e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase) ||
        e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal) ||
        (e.InnerException is { } inner && IsAlreadyExists(inner));
}

public sealed record StartOutcome(string RunId, bool AlreadyStarted);
