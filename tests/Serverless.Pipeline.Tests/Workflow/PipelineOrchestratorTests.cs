using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Workflow;

/// <summary>
/// The orchestrator's branching, on the in-memory Durable Task host with stand-in activities
/// registered under the real activity names.
/// </summary>
public sealed class PipelineOrchestratorTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _deployed = new();
    private readonly ConcurrentQueue<RunRecord> _recorded = new();
    private readonly ConcurrentQueue<RunStatus?> _shownWhileRecordingTheEnd = new();
    private readonly ConcurrentQueue<string> _locks = new();
    private readonly ConcurrentQueue<string> _removed = new();
    private readonly ConcurrentQueue<ApprovalGateRequest> _approvalRequests = new();
    private readonly ConcurrentQueue<string> _reminders = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ApprovalDecisionRecord>> _decisions = new();
    private Exception? _approvalRequestFault;
    private bool _onProductionBranch = true;
    private TimeSpan? _remindAfter;
    private int _minimumApprovals = 1;
    private readonly ConcurrentBag<string> _unfinished = [];
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, Func<int, Exception?>> _deployFaults = new();
    private Exception? _buildFault;
    private TimeSpan _approvalTimeout = TimeSpan.FromMinutes(10);
    private DurableTaskTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await InMemoryEngine.StartAsync(tasks =>
        {
            tasks.AddOrchestrator<PipelineOrchestrator>();
            tasks.AddActivityFunc<BuildRequest, BuildResult>(PipelineNames.BuildArtifact, (_, request) =>
            {
                if (_buildFault is not null) throw _buildFault;
                var now = DateTimeOffset.UtcNow;
                return new BuildResult("0123456789abcdef", $"{request.Stack}/0123456789abcdef/manifest.json", $"{request.RunId}/build.log",
                    "network", Definition(_approvalTimeout, _minimumApprovals), now, now,
                    request.Commit with { Author = "Ann Example <ann@contoso.example>", CommittedAt = now.AddMinutes(-5) }, ["Ann Example <ann@contoso.example>"], _onProductionBranch);
            });
            tasks.AddActivityFunc<DeploymentRequest, DeploymentRecord>(PipelineNames.DeployEnvironment, (_, request) =>
            {
                var attempt = _attempts.AddOrUpdate(request.Environment, 1, (_, n) => n + 1);
                if (_deployFaults.TryGetValue(request.Environment, out var fault) && fault(attempt) is { } error) throw error;
                _deployed.Enqueue(request.Environment);
                var now = DateTimeOffset.UtcNow;
                return new DeploymentRecord(request.Environment, request.Kind, request.Version, now, now);
            });
            tasks.AddActivityFunc<EnvironmentLockRequest, bool>(PipelineNames.AcquireEnvironment, (_, request) =>
            {
                _locks.Enqueue($"acquire {request.Target}");
                return true;
            });
            tasks.AddActivityFunc<EnvironmentLockRequest, bool>(PipelineNames.ReleaseEnvironment, (_, request) =>
            {
                _locks.Enqueue($"release {request.Target}");
                return true;
            });
            tasks.AddActivityFunc<EphemeralEnvironment, bool>(PipelineNames.RemoveEphemeralEnvironment, (_, environment) =>
            {
                _removed.Enqueue(environment.ResourceGroup);
                return true;
            });
            tasks.AddActivityFunc<ApprovalGateRequest, ApprovalLinks>(ApprovalActivityNames.RequestApproval, (_, request) =>
            {
                if (_approvalRequestFault is not null) throw _approvalRequestFault;
                _approvalRequests.Enqueue(request);
                return new ApprovalLinks("https://approve.example/redacted", "https://reject.example/redacted", request.ExpiresAt,
                    _remindAfter is { } after ? request.RequestedAt + after : null);
            });
            tasks.AddActivityFunc<ApprovalReminderRequest, ApprovalReminderResult>(ApprovalActivityNames.RemindApprovers, (_, request) =>
            {
                _reminders.Enqueue(request.RunId);
                return new ApprovalReminderResult(true, "sent");
            });
            // The decisions this test recorded, as the decision operation would have (an event alone decides nothing).
            tasks.AddActivityFunc<ApprovalTallyRequest, ApprovalTally>(ApprovalActivityNames.TallyApprovals, (_, request) =>
            {
                var stored = new StoredApprovalRequest(_approvalRequests.Last(r => r.RunId == request.RunId), "k1", "a", "r", new NotificationState(NotificationStatus.Sent));
                return ApprovalTally.Of(stored, _decisions.GetOrAdd(request.RunId, _ => new()));
            });
            tasks.AddActivityFunc<SupersedeRequest, List<string>>(PipelineNames.FindSupersededRuns, (_, request) =>
                [.. _unfinished.Where(id => id != request.RunId)]);
            tasks.AddActivityFunc<RunRecord, bool>(PipelineNames.RecordRun, async (_, record) =>
            {
                if (record.Progress.Status.IsFinished())
                {
                    var instance = await _host.Client.GetInstanceAsync(record.Input.RunId, getInputsAndOutputs: true);
                    _shownWhileRecordingTheEnd.Enqueue(instance?.ReadCustomStatusAs<RunProgress>()?.Status);
                }
                _recorded.Enqueue(record);
                return true;
            });
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_approved_run_deploys_test_environments_in_order_then_every_production_instance()
    {
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        Assert.Equal(["dev", "staging"], _deployed);

        await DecideAsync(id, true, "bob", "ship it");
        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("0123456789abcdef", result.ArtifactVersion);
        Assert.Equal(["dev", "staging", "prod-a"], _deployed.Take(3));
        Assert.Equal(["prod-b", "prod-c"], _deployed.Skip(3).Order());

        var final = _recorded.Last();
        Assert.Equal(RunStatus.Completed, final.Progress.Status);
        // While the end was being recorded the run still showed as deploying to production: it shows Completed only once recorded.
        Assert.Equal(RunStatus.DeployingProduction, Assert.Single(_shownWhileRecordingTheEnd));
        Assert.Equal("network", final.Progress.ChangeType);
        Assert.Equal(5, final.Progress.Deployments.Count);
        Assert.All(final.Progress.Stages, stage => Assert.Equal(StageStatus.Succeeded, stage.Status));
        var approval = Assert.Single(final.Progress.Stages, s => s.Kind == StageKind.Approval);
        Assert.Contains("approved by bob", approval.Detail);

        // Every deployment held its target's lock and gave it back; the ephemeral dev environment is gone.
        Assert.Equal(5, _locks.Count(l => l.StartsWith("acquire", StringComparison.Ordinal)));
        Assert.Equal(5, _locks.Count(l => l.StartsWith("release", StringComparison.Ordinal)));
        Assert.Contains(_locks, l => l.StartsWith("acquire 11111111-1111-1111-1111-111111111111:rg-stack-", StringComparison.Ordinal));
        Assert.Single(_removed, rg => rg.StartsWith("rg-stack-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_two_approvals_required_the_run_waits_for_a_second_person()
    {
        _minimumApprovals = 2;
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        // The run publishes that it waits, then asks for its links: the links never point at a run that does not wait yet.
        for (var i = 0; i < 600 && _approvalRequests.IsEmpty; i++) await Task.Delay(50);
        var request = Assert.Single(_approvalRequests);
        Assert.Equal(2, request.Policy.MinimumApprovals);
        Assert.Equal(["dev", "staging"], request.TestResults.Select(r => r.Name));
        Assert.All(request.TestResults, r => Assert.Equal(StageStatus.Succeeded, r.Status));

        await DecideAsync(id, true, "bob", null);
        await DecideAsync(id, true, "BOB", "again");
        await Task.Delay(1500);
        Assert.DoesNotContain(_deployed, e => e.StartsWith("prod", StringComparison.Ordinal)); // One person twice is one approval.
        var waiting = (await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal(RunStatus.AwaitingApproval, waiting.Status);
        Assert.Contains("1 of 2 approvals", waiting.Stages.Single(s => s.Kind == StageKind.Approval).Detail);

        await DecideAsync(id, true, "carol", null);
        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Contains("approved by bob, carol", _recorded.Last().Progress.Stages.Single(s => s.Kind == StageKind.Approval).Detail);
    }

    [Fact]
    public async Task Approvers_are_reminded_once_at_the_reminder_time()
    {
        _remindAfter = TimeSpan.FromSeconds(1);
        _approvalTimeout = TimeSpan.FromSeconds(3);
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal("timed out", result.Reason);
        Assert.Equal([id], _reminders);
    }

    [Fact]
    public async Task A_newer_run_of_the_stack_supersedes_an_older_one_waiting_for_approval()
    {
        var older = Input();
        var olderId = await StartAsync(older);
        await WaitForStatusAsync(olderId, RunStatus.AwaitingApproval);
        _unfinished.Add(olderId);

        var newerId = await StartAsync(Input());
        await WaitForStatusAsync(newerId, RunStatus.AwaitingApproval);
        var result = await CompleteAsync(olderId);

        Assert.Equal(RunStatus.Superseded, result.Status);
        Assert.Equal($"superseded by {newerId}", result.Reason);
        Assert.DoesNotContain(_deployed, e => e.StartsWith("prod", StringComparison.Ordinal));
        Assert.Contains(_removed, rg => rg.Length > 0); // Its ephemeral environment is cleaned up too.
        await DecideAsync(newerId, true, "bob", null);
        Assert.Equal(RunStatus.Completed, (await CompleteAsync(newerId)).Status);
    }

    [Fact]
    public async Task A_rejected_run_ends_Rejected_and_deploys_nothing_to_production()
    {
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        await DecideAsync(id, false, "carol", "not today");

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Equal("rejected by carol: not today", result.Reason);
        Assert.DoesNotContain(_deployed, e => e.StartsWith("prod", StringComparison.Ordinal));
        var final = _recorded.Last().Progress;
        Assert.All(final.Stages.Where(s => s.Kind == StageKind.Production), s => Assert.Equal(StageStatus.Skipped, s.Status));
    }

    [Fact]
    public async Task An_approval_that_times_out_rejects_the_run_with_reason_timed_out()
    {
        _approvalTimeout = TimeSpan.FromSeconds(2);
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Equal("timed out", result.Reason);
        Assert.DoesNotContain(_deployed, e => e.StartsWith("prod", StringComparison.Ordinal));
        Assert.Equal(StageStatus.Rejected, _recorded.Last().Progress.Stages.Single(s => s.Kind == StageKind.Approval).Status);
    }

    [Fact]
    public async Task A_failing_test_environment_stops_the_run_before_later_environments_and_production()
    {
        _deployFaults["dev"] = _ => new ArtifactIntegrityException("template.json was changed after the build");
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("dev", result.Reason);
        Assert.Contains("changed after the build", result.Reason);
        Assert.Empty(_deployed);
        Assert.Equal(1, _attempts["dev"]); // A permanent failure is not retried.
        var stages = _recorded.Last().Progress.Stages;
        Assert.Equal(StageStatus.Failed, stages.Single(s => s.Name == "dev").Status);
        Assert.Equal(StageStatus.Skipped, stages.Single(s => s.Name == "staging").Status);
        Assert.Equal(StageStatus.Skipped, stages.Single(s => s.Name == "approval").Status);
        Assert.Single(_removed); // The ephemeral environment is deleted when the run fails too.
        Assert.Contains(_locks, l => l.StartsWith("release", StringComparison.Ordinal)); // And its lock given back.
    }

    [Fact]
    public async Task A_transient_deployment_failure_is_retried_with_the_same_artifact()
    {
        _deployFaults["dev"] = attempt => attempt == 1 ? new IOException("storage throttled") : null;
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        await DecideAsync(id, true, "bob", null);

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(2, _attempts["dev"]);
    }

    [Fact]
    public async Task An_ARM_request_whose_own_retries_ran_out_is_not_retried_again_by_the_orchestrator()
    {
        _deployFaults["dev"] = _ => new ArmRetriesExhaustedException("PUT failed 8 time(s); the last attempt got 503 ServiceUnavailable", status: 503) { Attempts = 8 };
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("8 time(s)", result.Reason);
        // One activity attempt: the deployment PUT was sent Arm:MaxAttempts times in all, not that many per activity attempt.
        Assert.Equal(1, _attempts["dev"]);
    }

    [Fact]
    public async Task A_deployment_that_keeps_failing_transiently_as_a_whole_runs_exactly_twice()
    {
        _deployFaults["dev"] = _ => new TransientArmException("the deployment is still Running after the deployer's timeout");
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("still Running", result.Reason);
        Assert.Equal(2, _attempts["dev"]);
    }

    [Fact]
    public async Task A_build_failure_stops_the_run_at_build()
    {
        _buildFault = new PermanentStageFailure("main.bicep(3,1): error BCP007: unknown declaration");
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.StartsWith("build:", result.Reason);
        Assert.Empty(_deployed);
    }

    [Fact]
    public async Task A_failing_wave_stops_the_waves_after_it()
    {
        _deployFaults["prod-a"] = _ => new PermanentStageFailure("quota exceeded");
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        await DecideAsync(id, true, "bob", null);

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("wave first: prod-a: quota exceeded", result.Reason);
        Assert.DoesNotContain(_deployed, e => e is "prod-b" or "prod-c");
        Assert.All(_recorded.Last().Progress.Stages.Where(s => s.Name is "prod-b" or "prod-c"), s => Assert.Equal(StageStatus.Skipped, s.Status));
    }

    [Fact]
    public async Task A_failing_production_instance_fails_the_run_while_the_others_of_its_wave_are_still_applied()
    {
        _deployFaults["prod-b"] = _ => new PermanentStageFailure("quota exceeded");
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        await DecideAsync(id, true, "bob", null);

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("prod-b: quota exceeded", result.Reason);
        Assert.Contains("prod-a", _deployed);
        Assert.Contains("prod-c", _deployed);
    }

    [Fact]
    public async Task An_approval_event_that_no_recorded_decision_backs_decides_nothing()
    {
        var id = await StartAsync(Input());
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);

        // What a process that reached the engine directly could do: raise the event without the decision operation.
        await _host.Client.RaiseEventAsync(id, PipelineNames.ApprovalDecisionEvent, new ApprovalDecision(true, "mallory", null, DateTimeOffset.UtcNow, Verified: true));
        await Task.Delay(1500);

        Assert.DoesNotContain(_deployed, e => e.StartsWith("prod", StringComparison.Ordinal));
        Assert.Equal(RunStatus.AwaitingApproval, (await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<RunProgress>()!.Status);
        await DecideAsync(id, true, "bob", null);
        Assert.Equal(RunStatus.Completed, (await CompleteAsync(id)).Status);
    }

    [Fact]
    public async Task A_commit_that_is_not_on_the_production_branch_is_tested_but_never_reaches_the_gate()
    {
        _onProductionBranch = false;
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("not on a branch that may reach production ('main'", result.Reason);
        Assert.Equal(["dev", "staging"], _deployed);
        Assert.Empty(_approvalRequests);
    }

    [Fact]
    public async Task A_run_whose_approval_request_cannot_be_recorded_fails_rather_than_waiting_for_decisions_nobody_can_make()
    {
        _approvalRequestFault = new PermanentStageFailure("the approval request is not valid");
        var id = await StartAsync(Input());

        var result = await CompleteAsync(id);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.StartsWith("approval: ", result.Reason);
        Assert.DoesNotContain(_deployed, e => e.StartsWith("prod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_approval_request_names_the_git_authors_and_who_asked_for_the_run()
    {
        var id = await StartAsync(Input() with { RequestedBy = "deploy-bot" });
        await WaitForStatusAsync(id, RunStatus.AwaitingApproval);
        for (var i = 0; i < 600 && _approvalRequests.IsEmpty; i++) await Task.Delay(50);

        var request = Assert.Single(_approvalRequests);
        Assert.Equal(["Ann Example <ann@contoso.example>", "deploy-bot"], request.Authors);
        Assert.Equal("Ann Example <ann@contoso.example>", request.Commit.Author); // As git says, not as the start request said ("ann").
    }

    /// <summary>Records a decision, as the decision operation does, then wakes the run.</summary>
    private async Task DecideAsync(string id, bool approved, string by, string? comment)
    {
        for (var i = 0; i < 600 && !_approvalRequests.Any(r => r.RunId == id); i++) await Task.Delay(50);
        var request = _approvalRequests.Last(r => r.RunId == id);
        var at = DateTimeOffset.UtcNow;
        _decisions.GetOrAdd(id, _ => new()).Enqueue(new ApprovalDecisionRecord(id, request.Gate, approved ? ApprovalChoice.Approve : ApprovalChoice.Reject,
            by, true, "ApiKey", comment, request.RequestedAt, at, (at - request.RequestedAt).TotalSeconds, "127.0.0.1", "api"));
        await _host.Client.RaiseEventAsync(id, PipelineNames.ApprovalDecisionEvent, new ApprovalDecision(approved, by, comment, at));
    }

    private static DeliveryDefinition Definition(TimeSpan approvalTimeout, int minimumApprovals)
    {
        static EnvironmentTarget Target(string name) => new(name, "11111111-1111-1111-1111-111111111111", $"rg-{name}", "westeurope", null, null, false);
        return new DeliveryDefinition(
            "main.bicep",
            [new StageDefinition("test", [Target("dev") with { Ephemeral = true }]), new StageDefinition("staging", [Target("staging")])],
            new ApprovalPolicy([], [], minimumApprovals, false, approvalTimeout),
            [new ProductionWave("first", [Target("prod-a")]), new ProductionWave("rest", [Target("prod-b"), Target("prod-c")])],
            OnlineChecks.None, ChangeTypePolicy.None, LintPolicy.None, Supersede: true);
    }

    private static PipelineInput Input()
    {
        var commit = $"{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        return new(
            RunId: $"stack.{commit}",
            Stack: "stack",
            Commit: new CommitInfo(commit, Message: "change", Author: "ann"),
            Governance: TestStacks.Governance(["dev", "staging"], ["prod-a", "prod-b", "prod-c"]),
            RequestedAt: DateTimeOffset.UtcNow);
    }

    private async Task<string> StartAsync(PipelineInput input) =>
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineNames.Orchestrator, input, new StartOrchestrationOptions(input.RunId));

    private async Task WaitForStatusAsync(string id, RunStatus status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var instance = await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token);
            if (instance?.ReadCustomStatusAs<RunProgress>()?.Status == status) return;
            await Task.Delay(50, timeout.Token);
        }
    }

    private async Task<PipelineResult> CompleteAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return instance.ReadOutputAs<PipelineResult>()!;
    }
}
