using Microsoft.DurableTask;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Workflow;

/// <summary>
/// One change's path from commit to every production instance:
/// build → each test environment in order → approval → all production instances → record.
/// Deterministic: time comes from the orchestration clock, all I/O happens in activities.
/// </summary>
[DurableTask(PipelineNames.Orchestrator)]
public sealed class PipelineOrchestrator : TaskOrchestrator<PipelineInput, PipelineResult>
{
    /// <summary>Transient failures (storage throttling, a host crash mid-activity) are retried with the same inputs.</summary>
    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = failure => !failure.IsCausedBy<PermanentStageFailure>(),
    });

    public override async Task<PipelineResult> RunAsync(TaskOrchestrationContext context, PipelineInput input)
    {
        var timeline = new RunTimeline(input);

        var outcome = await DeliverAsync(context, input, timeline);
        timeline.Finish(outcome.Status, outcome.Reason, context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        return new PipelineResult(timeline.Status, timeline.ArtifactVersion, timeline.Reason);
    }

    private static async Task<(RunStatus Status, string? Reason)> DeliverAsync(
        TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline)
    {
        // Build.
        timeline.Enter(RunStatus.Building);
        timeline.Ready("build", context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        try
        {
            var build = await context.CallActivityAsync<BuildResult>(
                PipelineNames.BuildArtifact, new BuildRequest(input.RunId, input.Stack, input.Commit), Retried);
            timeline.Built(build, context.CurrentUtcDateTime);
        }
        catch (TaskFailedException failure)
        {
            return Fail(context, timeline, "build", failure);
        }

        // Test environments, in order.
        timeline.Enter(RunStatus.Testing);
        foreach (var environment in input.TestEnvironments)
        {
            var failed = await DeployAsync(context, input, timeline, environment, StageKind.Test);
            if (failed is not null) return (RunStatus.Failed, failed);
        }

        // Approval.
        timeline.Enter(RunStatus.AwaitingApproval);
        timeline.Ready("approval", context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        var decision = await WaitForApprovalAsync(context, input.ApprovalTimeout);
        if (decision is null)
        {
            timeline.TimedOut(context.CurrentUtcDateTime);
            return (RunStatus.Rejected, "timed out");
        }
        timeline.Decided(decision);
        if (!decision.Approved)
            return (RunStatus.Rejected, $"rejected by {decision.By}" + (string.IsNullOrWhiteSpace(decision.Comment) ? "" : $": {decision.Comment}"));

        // Every production instance at once; the release is done only when all of them run it.
        timeline.Enter(RunStatus.DeployingProduction);
        await RecordAsync(context, input, timeline);
        var production = input.ProductionInstances
            .Select(instance => DeployAsync(context, input, timeline, instance, StageKind.Production))
            .ToList();
        var failures = (await Task.WhenAll(production)).Where(f => f is not null).ToList();
        return failures.Count == 0
            ? (RunStatus.Completed, null)
            : (RunStatus.Failed, string.Join("; ", failures));
    }

    /// <summary>Deploys the run's artifact to one environment; returns the failure reason, or null on success.</summary>
    private static async Task<string?> DeployAsync(
        TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline, string environment, StageKind kind)
    {
        timeline.Ready(environment, context.CurrentUtcDateTime);
        context.SetCustomStatus(timeline.Snapshot());
        try
        {
            var deployment = await context.CallActivityAsync<DeploymentRecord>(
                PipelineNames.DeployEnvironment,
                new DeploymentRequest(input.RunId, input.Stack, environment, kind, timeline.ArtifactVersion!),
                Retried);
            timeline.Deployed(deployment, context.CurrentUtcDateTime);
            context.SetCustomStatus(timeline.Snapshot());
            return null;
        }
        catch (TaskFailedException failure)
        {
            return Fail(context, timeline, environment, failure).Reason;
        }
    }

    private static async Task<ApprovalDecision?> WaitForApprovalAsync(TaskOrchestrationContext context, TimeSpan timeout)
    {
        using var cancelTimer = new CancellationTokenSource();
        var decision = context.WaitForExternalEvent<ApprovalDecision>(PipelineNames.ApprovalDecisionEvent, cancelTimer.Token);
        var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(timeout), cancelTimer.Token);
        var first = await Task.WhenAny(decision, deadline);
        cancelTimer.Cancel();
        return first == decision ? await decision : null;
    }

    private static (RunStatus Status, string Reason) Fail(
        TaskOrchestrationContext context, RunTimeline timeline, string stage, TaskFailedException failure)
    {
        var reason = $"{stage}: {failure.FailureDetails.ErrorMessage}";
        timeline.Failed(stage, failure.FailureDetails.ErrorMessage, context.CurrentUtcDateTime);
        return (RunStatus.Failed, reason);
    }

    private static Task RecordAsync(TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline)
    {
        var progress = timeline.Snapshot();
        context.SetCustomStatus(progress);
        return context.CallActivityAsync(PipelineNames.RecordRun, new RunRecord(input, progress, context.CurrentUtcDateTime), Retried);
    }
}
