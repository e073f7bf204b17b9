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
public sealed class RunStarter(TimeProvider clock, RunObservers observers, ILogger<RunStarter> log)
{
    /// <param name="commit">The change, at a full commit id (<see cref="CommitId.IsFull"/>).</param>
    /// <param name="requestedBy">Who asked through the API (the caller's name): recorded, and they may not approve the run; null for pushes.</param>
    /// <param name="deliveredSince">The push's previous head, for a run a push started.</param>
    public async Task<RunStarted> StartAsync(StackDefinition stack, CommitInfo commit, DurableTaskClient engine, CancellationToken cancellation = default,
        string? requestedBy = null, string? deliveredSince = null) =>
        await StartAsync(stack, commit, engine, label: null, rollback: null, requestedBy, deliveredSince, cancellation);

    /// <summary>Starts a run that delivers <paramref name="commit"/> again as a remediation; its id carries a label of its own.</summary>
    public async Task<RunStarted> StartRollbackAsync(StackDefinition stack, CommitInfo commit, RollbackOrder rollback, DurableTaskClient engine, CancellationToken cancellation = default, string? requestedBy = null) =>
        await StartAsync(stack, commit, engine, $"rollback-{clock.GetUtcNow():yyyyMMddHHmmss}", rollback, requestedBy, deliveredSince: null, cancellation);

    private async Task<RunStarted> StartAsync(StackDefinition stack, CommitInfo commit, DurableTaskClient engine, string? label, RollbackOrder? rollback,
        string? requestedBy, string? deliveredSince, CancellationToken cancellation)
    {
        var run = RunId.For(stack.Name, commit.Id, label);
        var id = run.ToString();
        if (await engine.GetInstanceAsync(id, cancellation) is not null) return new RunStarted(run, alreadyStarted: true);

        // The run builds the stack's registered repository, whatever the caller or the push called it.
        var input = new PipelineInput(
            id,
            stack.Name,
            commit with { Id = run.Commit, Repository = stack.Repository },
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
            return new RunStarted(run, alreadyStarted: true);
        }
        log.LogInformation("Run {RunId} started for {Stack} at {Commit} by {RequestedBy}", id, stack.Name, input.Commit.Id, requestedBy ?? "a push");
        await observers.StartedAsync(input, cancellation);
        return new RunStarted(run, alreadyStarted: false);
    }

    private static bool IsAlreadyExists(Exception e) =>
        e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase) ||
        e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal) ||
        (e.InnerException is { } inner && IsAlreadyExists(inner));
}

/// <summary>
/// A run that a start or a push asked for, and whether an earlier delivery of the same change had started it already; the
/// API answers it with where to follow the run (<paramref name="StatusUrl"/>, <paramref name="ApprovalUrl"/>), and a push's
/// answer with how many of its commits the run delivers (<paramref name="Changes"/>).
/// </summary>
public sealed record RunStarted(string Id, string Stack, string Commit, bool AlreadyStarted, string? StatusUrl = null, string? ApprovalUrl = null, int? Changes = null)
{
    public RunStarted(RunId run, bool alreadyStarted) : this(run.ToString(), run.Stack, run.Commit, alreadyStarted) { }
}
