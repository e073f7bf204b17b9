using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Workflow;

/// <summary>
/// The orchestrator's working copy of a run's progress. Every time it holds comes from the
/// orchestration clock or from an activity's result, so it is the same on every replay.
/// </summary>
internal sealed class RunTimeline
{
    public const string BuildStage = "build";
    public const string ApprovalStage = "approval";

    private readonly List<StageExecution> _stages;
    private readonly List<DeploymentRecord> _deployments = [];

    /// <summary>Until the build has read delivery.yaml, the stages are the ones the stack was registered with.</summary>
    public RunTimeline(PipelineInput input) =>
        _stages = Layout(input.Governance.NamesOf(Stacks.EnvironmentKind.Test), input.Governance.NamesOf(Stacks.EnvironmentKind.Production));

    public RunStatus Status { get; private set; } = RunStatus.Queued;
    public string? ArtifactVersion { get; private set; }
    public string? ManifestBlob { get; private set; }
    public string? BuildLog { get; private set; }
    public string? ChangeType { get; private set; }
    public CommitInfo? Commit { get; private set; }
    public string? Reason { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public void Enter(RunStatus status) => Status = status;

    public void Ready(string stage, DateTimeOffset at) =>
        Update(stage, s => s with { Status = StageStatus.Running, ReadyAt = at });

    /// <summary>The build produced the artifact; from now on the stages are the ones delivery.yaml defines at this commit.</summary>
    public void Built(BuildResult build, DateTimeOffset observedAt)
    {
        ArtifactVersion = build.Version;
        ManifestBlob = build.ManifestBlob;
        BuildLog = build.LogBlob;
        ChangeType = build.ChangeType;
        Commit = build.Commit;
        var buildStage = _stages[0];
        _stages.Clear();
        _stages.Add(buildStage);
        _stages.AddRange(Layout(
            [.. build.Definition.TestEnvironments().Select(e => e.Name)],
            [.. build.Definition.ProductionInstances().Select(e => e.Name)]).Skip(1));
        Succeeded(BuildStage, build.StartedAt, build.FinishedAt, $"artifact {build.Version} ({build.ChangeType} change)", observedAt);
    }

    public void Deployed(DeploymentRecord deployment, DateTimeOffset observedAt)
    {
        _deployments.Add(deployment);
        Succeeded(deployment.Environment, deployment.StartedAt, deployment.FinishedAt, $"applied {deployment.Version}", observedAt);
    }

    public void Decided(ApprovalDecision decision)
    {
        var detail = $"{(decision.Approved ? "approved" : "rejected")} by {decision.By}" +
                     (string.IsNullOrWhiteSpace(decision.Comment) ? "" : $": {decision.Comment}");
        // Waiting for a person is waiting time: the stage starts working only when they decide.
        Update(ApprovalStage, s => s with
        {
            Status = decision.Approved ? StageStatus.Succeeded : StageStatus.Rejected,
            StartedAt = decision.DecidedAt,
            FinishedAt = decision.DecidedAt,
            Detail = detail,
        });
    }

    /// <summary>A remark on a stage still under way (approvals so far, why there are no links).</summary>
    public void Note(string stage, string detail) => Update(stage, s => s with { Detail = detail });

    /// <summary>How the test stages went, for the approvers.</summary>
    public IReadOnlyList<Approvals.StageSummary> TestResults() =>
        [.. _stages.Where(s => s.Kind == StageKind.Test).Select(s => new Approvals.StageSummary(s.Name, s.Status, s.Detail))];

    public void TimedOut(DateTimeOffset at) =>
        Update(ApprovalStage, s => s with { Status = StageStatus.Rejected, StartedAt = at, FinishedAt = at, Detail = "timed out" });

    public void Failed(string stage, string reason, DateTimeOffset at) =>
        Update(stage, s => s with { Status = StageStatus.Failed, FinishedAt = at, Detail = reason });

    public void Finish(RunStatus status, string? reason, DateTimeOffset at)
    {
        Status = status;
        Reason = reason;
        FinishedAt = at;
        for (var i = 0; i < _stages.Count; i++)
        {
            if (_stages[i].Status is StageStatus.Pending or StageStatus.Running)
                _stages[i] = _stages[i] with { Status = StageStatus.Skipped };
        }
    }

    public RunProgress Snapshot() =>
        new(Status, [.. _stages], [.. _deployments], ArtifactVersion, ManifestBlob, Reason, FinishedAt, BuildLog, ChangeType, Commit);

    private static List<StageExecution> Layout(IEnumerable<string> testEnvironments, IEnumerable<string> productionInstances)
    {
        var stages = new List<StageExecution> { new(BuildStage, StageKind.Build, StageStatus.Pending) };
        stages.AddRange(testEnvironments.Select(e => new StageExecution(e, StageKind.Test, StageStatus.Pending)));
        stages.Add(new StageExecution(ApprovalStage, StageKind.Approval, StageStatus.Pending));
        stages.AddRange(productionInstances.Select(e => new StageExecution(e, StageKind.Production, StageStatus.Pending)));
        return stages;
    }

    private void Succeeded(string stage, DateTimeOffset startedAt, DateTimeOffset finishedAt, string detail, DateTimeOffset observedAt) =>
        Update(stage, s => s with
        {
            Status = StageStatus.Succeeded,
            // Clocks of hosts differ slightly; a stage never starts before the run reached it.
            StartedAt = s.ReadyAt is { } ready && startedAt < ready ? ready : startedAt,
            FinishedAt = finishedAt > observedAt ? observedAt : finishedAt,
            Detail = detail,
        });

    private void Update(string stage, Func<StageExecution, StageExecution> change)
    {
        var index = _stages.FindIndex(s => s.Name == stage);
        if (index < 0) throw new InvalidOperationException($"The run has no stage '{stage}'.");
        _stages[index] = change(_stages[index]);
    }
}
