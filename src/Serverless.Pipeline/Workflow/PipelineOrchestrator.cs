using Microsoft.DurableTask;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Deploy;
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
    /// <summary>
    /// A stage's activity failed as a whole (a storage outage longer than the storage SDK's own retries, a host
    /// error): it runs again with the same inputs, for about a minute (2+4+8+16+30 s) so that a stage outlasts a
    /// short storage outage (measured: stopping and starting Azurite takes 20–30 s). Not retried: a failure that
    /// retrying cannot fix, and a request whose own retry layer (Azure.Core's retry policy) already gave up.
    /// </summary>
    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = IsActivityFailure,
    });

    /// <summary>
    /// A deployment runs at most twice. Every ARM request in it is already retried by Azure.Core's retry policy
    /// (Arm:MaxAttempts); the second attempt is for what that cannot cover: a deployment still running at the
    /// deployer's timeout (the retry joins it by its deterministic name), one that ended Failed only for passing
    /// causes inside ARM, or a host error. More attempts would multiply every request's attempts again; the
    /// figure is in docs/deployments.md ("How many attempts").
    /// </summary>
    private static readonly TaskOptions Deployment = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 2,
        firstRetryInterval: TimeSpan.FromSeconds(5))
    {
        HandleFailure = IsActivityFailure,
    });

    private static bool IsActivityFailure(TaskFailureDetails failure) =>
        !failure.IsCausedBy<PermanentStageFailure>() && !failure.IsCausedBy<RetriesExhaustedFailure>();

    public override async Task<PipelineResult> RunAsync(TaskOrchestrationContext context, PipelineInput input)
    {
        var timeline = new RunTimeline(input);
        var ephemeral = new List<EphemeralEnvironment>();

        var outcome = await DeliverAsync(context, input, timeline, ephemeral);
        // Environments made for this run go, whether it succeeded or not.
        foreach (var environment in ephemeral)
        {
            try
            {
                await context.CallActivityAsync<bool>(PipelineNames.RemoveEphemeralEnvironment, environment, Retried);
            }
            catch (TaskFailedException failure)
            {
                outcome = (outcome.Status, $"{outcome.Reason}{(outcome.Reason is null ? "" : "; ")}could not delete {environment.ResourceGroup}: {failure.FailureDetails.ErrorMessage}");
            }
        }
        timeline.Finish(outcome.Status, outcome.Reason, context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        return new PipelineResult(timeline.Status, timeline.ArtifactVersion, timeline.Reason);
    }

    private static async Task<(RunStatus Status, string? Reason)> DeliverAsync(
        TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline, List<EphemeralEnvironment> ephemeral)
    {
        var superseded = context.WaitForExternalEvent<SupersededBy>(PipelineNames.SupersededEvent);
        try
        {
            return await DeliverUnlessSupersededAsync(context, input, timeline, ephemeral, superseded);
        }
        catch (RunSuperseded newer)
        {
            return (RunStatus.Superseded, $"superseded by {newer.By.RunId}");
        }
    }

    private static async Task<(RunStatus Status, string? Reason)> DeliverUnlessSupersededAsync(TaskOrchestrationContext context,
        PipelineInput input, RunTimeline timeline, List<EphemeralEnvironment> ephemeral, Task<SupersededBy> superseded)
    {
        // Build: the one artifact every later stage uses, and the pipeline delivery.yaml defines at this commit.
        timeline.Enter(RunStatus.Building);
        timeline.Ready(RunTimeline.BuildStage, context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        BuildResult build;
        try
        {
            build = await context.CallActivityAsync<BuildResult>(PipelineNames.BuildArtifact,
                new BuildRequest(input.RunId, input.Stack, input.Commit, input.StackPath, input.Governance, input.DeliveredSince), Retried);
            if (input.Rollback is { } rollback)
            {
                if (build.Version != rollback.Version)
                {
                    timeline.Failed(RunTimeline.BuildStage, $"builds to {build.Version}, not {rollback.Version}", context.CurrentUtcDateTime);
                    return (RunStatus.Failed, $"build: the commit of {rollback.RestoresRun} now builds to {build.Version}, not to the released " +
                        $"{rollback.Version} (a tool or its input changed); roll forward with a fix instead");
                }
                build = build with { ChangeType = RollbackChangeType, Definition = Restrict(build.Definition, rollback.Environment) };
                if (build.Definition.Stages.Count == 0 && build.Definition.Production.Count == 0)
                {
                    timeline.Failed(RunTimeline.BuildStage, $"no environment {rollback.Environment}", context.CurrentUtcDateTime);
                    return (RunStatus.Failed, $"build: the stack's pipeline has no environment '{rollback.Environment}' to roll back");
                }
            }
            timeline.Built(build, context.CurrentUtcDateTime);
        }
        catch (TaskFailedException failure)
        {
            return Fail(context, timeline, RunTimeline.BuildStage, failure);
        }
        var definition = build.Definition;
        if (definition.Supersede) await SupersedeOlderRunsAsync(context, input);

        // Test stages in order; the environments of one stage together.
        timeline.Enter(RunStatus.Testing);
        foreach (var stage in definition.Stages)
        {
            var failures = await DeployAllAsync(context, input, timeline, build, stage.Environments, StageKind.Test, ephemeral, superseded);
            if (failures.Count > 0) return (RunStatus.Failed, string.Join("; ", failures));
        }

        if (definition.Production.Count == 0) return (RunStatus.Completed, null); // A rollback of one test environment.

        // Production takes only commits on the branch the registration names (by default the branch the stack delivers).
        if (!build.OnProductionBranch)
        {
            var branch = input.Governance.Production.Branch;
            timeline.Failed(RunTimeline.ApprovalStage, $"not on branch '{branch}'", context.CurrentUtcDateTime);
            return (RunStatus.Failed, $"approval: commit {input.Commit.Id} is not on a branch that may reach production ('{branch}', the stack's registration); " +
                "merge it there and deliver the merged commit");
        }

        // Approval: signed links go to the approvers; the run waits for enough of them, or a rejection, or the deadline.
        timeline.Enter(RunStatus.AwaitingApproval);
        timeline.Ready(RunTimeline.ApprovalStage, context.CurrentUtcDateTime);
        await RecordAsync(context, input, timeline);
        var policy = definition.Approval;
        var requestedAt = context.CurrentUtcDateTime;
        var deadline = requestedAt.Add(policy.Timeout);
        DateTime? remindAt;
        try
        {
            var authors = input.RequestedBy is { } requester ? [.. build.Authors, requester] : build.Authors;
            var links = await context.CallActivityAsync<ApprovalLinks>(ApprovalActivityNames.RequestApproval,
                new ApprovalGateRequest(input.RunId, input.Stack, RunTimeline.ApprovalStage, build.Commit, timeline.ArtifactVersion!,
                    build.ChangeType, requestedAt, deadline, policy, timeline.TestResults(), authors), Retried);
            remindAt = links.RemindAt?.UtcDateTime;
        }
        catch (TaskFailedException failure)
        {
            // Decisions exist only as records of this request: without it nobody can decide, so the run says so and ends.
            return Fail(context, timeline, RunTimeline.ApprovalStage, failure);
        }
        var decision = await WaitForApprovalAsync(context, input, timeline, policy, deadline, remindAt, superseded);
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
            var failures = await DeployAllAsync(context, input, timeline, build, wave.Instances, StageKind.Production, ephemeral, superseded);
            if (failures.Count > 0) return (RunStatus.Failed, $"wave {wave.Name}: {string.Join("; ", failures)}");
        }
        return (RunStatus.Completed, null);
    }

    /// <summary>The change type of a run that redelivers an earlier release; the metrics count it as a remediation.</summary>
    public const string RollbackChangeType = "rollback";

    /// <summary>The pipeline cut down to one environment (a rollback of that environment only), or whole.</summary>
    private static DeliveryDefinition Restrict(DeliveryDefinition definition, string? environment) => environment is null
        ? definition
        : definition with
        {
            Stages = [.. definition.Stages.Select(s => s with { Environments = [.. s.Environments.Where(e => e.Name == environment)] }).Where(s => s.Environments.Count > 0)],
            Production = [.. definition.Production.Select(w => w with { Instances = [.. w.Instances.Where(e => e.Name == environment)] }).Where(w => w.Instances.Count > 0)],
        };

    /// <summary>Deploys to several environments at once; returns the failures.</summary>
    private static async Task<List<string>> DeployAllAsync(TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline,
        BuildResult build, IEnumerable<EnvironmentTarget> targets, StageKind kind, List<EphemeralEnvironment> ephemeral, Task<SupersededBy> superseded)
    {
        var deployments = targets.Select(target => DeployAsync(context, input, timeline, build, target, kind, ephemeral, superseded)).ToList();
        return [.. (await Task.WhenAll(deployments)).Where(f => f is not null).Select(f => f!)];
    }

    /// <summary>
    /// Deploys the run's artifact to one environment, holding the lock on its resource group meanwhile;
    /// returns the failure reason, or null on success.
    /// </summary>
    private static async Task<string?> DeployAsync(TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline,
        BuildResult build, EnvironmentTarget target, StageKind kind, List<EphemeralEnvironment> ephemeral, Task<SupersededBy> superseded)
    {
        timeline.Ready(target.Name, context.CurrentUtcDateTime);
        context.SetCustomStatus(timeline.Snapshot());
        var resourceGroup = target.Ephemeral ? EnvironmentActivities.EphemeralResourceGroup(input.Stack, input.Commit.Id) : target.ResourceGroup;
        if (target.Ephemeral) ephemeral.Add(new EphemeralEnvironment(target.Subscription, resourceGroup, target.Name));
        var targetLock = new EnvironmentLockRequest(EnvironmentLocks.TargetKey(target.Subscription, resourceGroup), input.RunId, context.CurrentUtcDateTime);
        try
        {
            await AcquireAsync(context, targetLock, superseded);
            var deployment = await context.CallActivityAsync<DeploymentRecord>(
                PipelineNames.DeployEnvironment,
                new DeploymentRequest(input.RunId, input.Stack, target, kind, timeline.ArtifactVersion!, resourceGroup, build.ChangeType,
                    Attempt: 1, Checks: kind == StageKind.Test ? build.Definition.Checks : null),
                Deployment);
            timeline.Deployed(deployment, context.CurrentUtcDateTime);
            context.SetCustomStatus(timeline.Snapshot());
            return null;
        }
        catch (TaskFailedException failure)
        {
            return Fail(context, timeline, target.Name, failure).Reason;
        }
        finally
        {
            await context.CallActivityAsync<bool>(PipelineNames.ReleaseEnvironment, targetLock, Retried);
        }
    }

    /// <summary>Waits, first in first out, until no other run deploys to the target; durable across host restarts.</summary>
    private static async Task AcquireAsync(TaskOrchestrationContext context, EnvironmentLockRequest targetLock, Task<SupersededBy> superseded)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (!await context.CallActivityAsync<bool>(PipelineNames.AcquireEnvironment, targetLock, Retried))
        {
            using var stop = new CancellationTokenSource();
            var retry = context.CreateTimer(context.CurrentUtcDateTime.Add(wait), stop.Token);
            if (await Task.WhenAny(retry, superseded) == superseded)
            {
                stop.Cancel();
                throw new RunSuperseded(await superseded);
            }
            wait = TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds * 1.5, 10));
        }
    }

    /// <summary>Tells the stack's older runs that are still under way that this newer change supersedes them.</summary>
    private static async Task SupersedeOlderRunsAsync(TaskOrchestrationContext context, PipelineInput input)
    {
        var older = await context.CallActivityAsync<List<string>>(PipelineNames.FindSupersededRuns,
            new SupersedeRequest(input.Stack, input.RunId, input.RequestedAt), Retried);
        foreach (var run in older)
            context.SendEvent(run, PipelineNames.SupersededEvent, new SupersededBy(input.RunId, input.Commit.Id));
    }

    /// <summary>Thrown inside the orchestrator (never across it) when a newer run supersedes this one at a wait.</summary>
    private sealed class RunSuperseded(SupersededBy by) : Exception($"superseded by {by.RunId}")
    {
        public SupersededBy By { get; } = by;
    }

    /// <summary>
    /// Waits until <paramref name="policy"/>'s number of distinct people approved (the returned decision names them all),
    /// or someone rejected, or the deadline passed (null). Reminds the approvers once when the reminder time comes.
    /// An event only wakes the run: what counts are the decisions recorded by the decision operation, which it tallies.
    /// </summary>
    private static async Task<ApprovalDecision?> WaitForApprovalAsync(TaskOrchestrationContext context, PipelineInput input,
        RunTimeline timeline, ApprovalPolicy policy, DateTime deadline, DateTime? remindAt, Task<SupersededBy> superseded)
    {
        using var stop = new CancellationTokenSource();
        var expiry = context.CreateTimer(deadline, stop.Token);
        Task? reminder = remindAt is { } at && at < deadline ? context.CreateTimer(at, stop.Token) : null;
        var next = context.WaitForExternalEvent<ApprovalDecision>(PipelineNames.ApprovalDecisionEvent, stop.Token);
        try
        {
            // DURABLE0011 is a false positive here: the loop is bounded by the approval deadline's timer and by the events
            // that wake it (one reminder, and decisions the decision operation accepts once per person), and it ends the wait
            // it is in; ContinueAsNew would restart the whole run, not this wait.
#pragma warning disable DURABLE0011
            while (true)
#pragma warning restore DURABLE0011
            {
                var first = await Task.WhenAny(reminder is null ? [next, expiry, superseded] : [next, expiry, superseded, reminder]);
                if (first == expiry) return null;
                if (first == superseded) throw new RunSuperseded(await superseded);
                if (first == reminder)
                {
                    reminder = null;
                    await RemindAsync(context, input);
                    continue;
                }

                await next;
                var tally = await context.CallActivityAsync<ApprovalTally>(ApprovalActivityNames.TallyApprovals,
                    new ApprovalTallyRequest(input.RunId, RunTimeline.ApprovalStage), Retried);
                if (tally.Rejection is { } rejection)
                    return new ApprovalDecision(false, rejection.By, rejection.Comment, rejection.DecidedAt, rejection.Verified, rejection.Gate, rejection.Source);
                var approvers = tally.Approvals.Select(a => a.By).ToList();
                if (approvers.Count >= Math.Max(1, policy.MinimumApprovals))
                {
                    var last = tally.Approvals[^1];
                    return new ApprovalDecision(true, string.Join(", ", approvers), last.Comment, last.DecidedAt, tally.Approvals.All(a => a.Verified), last.Gate, last.Source);
                }

                if (approvers.Count > 0)
                    timeline.Note(RunTimeline.ApprovalStage, $"{approvers.Count} of {policy.MinimumApprovals} approvals ({string.Join(", ", approvers)})");
                context.SetCustomStatus(timeline.Snapshot());
                next = context.WaitForExternalEvent<ApprovalDecision>(PipelineNames.ApprovalDecisionEvent, stop.Token);
            }
        }
        finally
        {
            stop.Cancel();
        }
    }

    /// <summary>A reminder that fails is not a reason to fail the run.</summary>
    private static async Task RemindAsync(TaskOrchestrationContext context, PipelineInput input)
    {
        try
        {
            await context.CallActivityAsync<ApprovalReminderResult>(ApprovalActivityNames.RemindApprovers,
                new ApprovalReminderRequest(input.RunId, RunTimeline.ApprovalStage, context.CurrentUtcDateTime));
        }
        catch (TaskFailedException)
        {
            // Recorded by the activity; the approvers still have their links.
        }
    }

    private static (RunStatus Status, string Reason) Fail(
        TaskOrchestrationContext context, RunTimeline timeline, string stage, TaskFailedException failure)
    {
        var reason = $"{stage}: {failure.FailureDetails.ErrorMessage}";
        timeline.Failed(stage, failure.FailureDetails.ErrorMessage, context.CurrentUtcDateTime);
        return (RunStatus.Failed, reason);
    }

    private static async Task RecordAsync(TaskOrchestrationContext context, PipelineInput input, RunTimeline timeline)
    {
        var progress = timeline.Snapshot();
        var record = new RunRecord(input, progress, context.CurrentUtcDateTime);
        if (!progress.Status.IsFinished())
        {
            context.SetCustomStatus(progress);
            await context.CallActivityAsync(PipelineNames.RecordRun, record, Retried);
            return;
        }
        // A run shows as finished only once its record is written: whoever sees it finished finds it in the run list,
        // its release in the metrics, and a rollback right after it finds it as the newest release.
        await context.CallActivityAsync(PipelineNames.RecordRun, record, Retried);
        context.SetCustomStatus(progress);
    }
}
