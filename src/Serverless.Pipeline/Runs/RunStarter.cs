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
    /// <param name="commit">The change, at a full commit id (<see cref="CommitId.IsFull"/>).</param>
    /// <param name="requestedBy">Who asked through the API (the caller's name): recorded, and they may not approve the run; null for pushes.</param>
    /// <param name="deliveredSince">The push's previous head, for a run a push started.</param>
    public async Task<StartOutcome> StartAsync(StackDefinition stack, CommitInfo commit, DurableTaskClient engine, CancellationToken cancellation = default,
        string? requestedBy = null, string? deliveredSince = null) =>
        await StartAsync(stack, commit, engine, label: null, rollback: null, requestedBy, deliveredSince, cancellation);

    /// <summary>Starts a run that delivers <paramref name="commit"/> again as a remediation; its id carries a label of its own.</summary>
    public async Task<StartOutcome> StartRollbackAsync(StackDefinition stack, CommitInfo commit, RollbackOrder rollback, DurableTaskClient engine, CancellationToken cancellation = default, string? requestedBy = null) =>
        await StartAsync(stack, commit, engine, $"rollback-{clock.GetUtcNow():yyyyMMddHHmmss}", rollback, requestedBy, deliveredSince: null, cancellation);

    private async Task<StartOutcome> StartAsync(StackDefinition stack, CommitInfo commit, DurableTaskClient engine, string? label, RollbackOrder? rollback,
        string? requestedBy, string? deliveredSince, CancellationToken cancellation)
    {
        var id = RunId.For(stack.Name, commit.Id, label).ToString();
        if (await engine.GetInstanceAsync(id, cancellation) is not null) return new StartOutcome(id, AlreadyStarted: true);

        // The run builds the stack's registered repository, whatever the caller or the push called it.
        var input = new PipelineInput(
            id,
            stack.Name,
            commit with { Id = CommitId.Normalize(commit.Id), Repository = stack.Repository },
            stack.Governance,
            clock.GetUtcNow(),
            stack.Path,
            rollback,
            requestedBy,
            deliveredSince);
        try
        {
            await engine.ScheduleNewOrchestrationInstanceAsync(PipelineNames.Orchestrator, input, new StartOrchestrationOptions(id), cancellation);
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            // Two deliveries of the same change raced; the other one started the run.
            return new StartOutcome(id, AlreadyStarted: true);
        }
        log.LogInformation("Run {RunId} started for {Stack} at {Commit} by {RequestedBy}", id, stack.Name, input.Commit.Id, requestedBy ?? "a push");
        return new StartOutcome(id, AlreadyStarted: false);
    }

    private static bool IsAlreadyExists(Exception e) =>
        e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase) ||
        e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal) ||
        (e.InnerException is { } inner && IsAlreadyExists(inner));
}

public sealed record StartOutcome(string RunId, bool AlreadyStarted);
