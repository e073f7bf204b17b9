using Microsoft.DurableTask;
using Serverless.Pipeline.Definition;
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
        // Build: the one artifact every later stage uses, and the pipeline delivery.yaml defines at this commit.
        timeline.Enter(RunStatus.Building);
        timeline.Ready(RunTimeline.BuildStage, context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        BuildResult build;
        try
        {
            build = await context.CallActivityAsync<BuildResult>(
                PipelineNames.BuildArtifact, new BuildRequest(input.RunId, input.Stack, input.Commit, input.StackPath), Retried);
            timeline.Built(build, context.CurrentUtcDateTime);
        }
        catch (TaskFailedException failure)
        {
            return Fail(context, timeline, RunTimeline.BuildStage, failure);
        }
        var definition = build.Definition;

        // Test stages in order; the environments of one stage together.
        timeline.Enter(RunStatus.Testing);
        foreach (var stage in definition.Stages)
        {
            var failures = await DeployAllAsync(context, input, timeline, stage.Environments, StageKind.Test);
            if (failures.Count > 0) return (RunStatus.Failed, string.Join("; ", failures));
        }

        // Approval.
        timeline.Enter(RunStatus.AwaitingApproval);
        timeline.Ready(RunTimeline.ApprovalStage, context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        var decision = await WaitForApprovalAsync(context, definition.Approval.Timeout);
        if (decision is null)
        {
            timeline.TimedOut(context.CurrentUtcDateTime);
            return (RunStatus.Rejected, "timed out");
        }
        timeline.Decided(decision);
        if (!decision.Approved)
            return (RunStatus.Rejected, $"rejected by {decision.By}" + (string.IsNullOrWhiteSpace(decision.Comment) ? "" : $": {decision.Comment}"));

        // Production in waves; a failing wave stops the waves after it. The release is done only when every instance runs it.
        timeline.Enter(RunStatus.DeployingProduction);
        await RecordAsync(context, input, timeline);
        foreach (var wave in definition.Production)
        {
            var failures = await DeployAllAsync(context, input, timeline, wave.Instances, StageKind.Production);
            if (failures.Count > 0) return (RunStatus.Failed, $"wave {wave.Name}: {string.Join("; ", failures)}");
        }
        return (RunStatus.Completed, null);
    }

    /// <summary>Deploys to several environments at once; returns the failures.</summary>
    private static async Task<List<string>> DeployAllAsync(
        TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline, IEnumerable<EnvironmentTarget> targets, StageKind kind)
    {
        var deployments = targets.Select(target => DeployAsync(context, input, timeline, target, kind)).ToList();
        return [.. (await Task.WhenAll(deployments)).Where(f => f is not null).Select(f => f!)];
    }

    /// <summary>Deploys the run's artifact to one environment; returns the failure reason, or null on success.</summary>
    private static async Task<string?> DeployAsync(
        TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline, EnvironmentTarget target, StageKind kind)
    {
        timeline.Ready(target.Name, context.CurrentUtcDateTime);
        context.SetCustomStatus(timeline.Snapshot());
        try
        {
            var deployment = await context.CallActivityAsync<DeploymentRecord>(
                PipelineNames.DeployEnvironment,
                new DeploymentRequest(input.RunId, input.Stack, target, kind, timeline.ArtifactVersion!),
                Retried);
            timeline.Deployed(deployment, context.CurrentUtcDateTime);
            context.SetCustomStatus(timeline.Snapshot());
            return null;
        }
        catch (TaskFailedException failure)
        {
            return Fail(context, timeline, target.Name, failure).Reason;
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
