using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Workflow;

/// <summary>
/// The orchestrator's working copy of a run's progress. Every time it holds comes from the
/// orchestration clock or from an activity's result, so it is the same on every replay.
/// </summary>
internal sealed class RunTimeline
{
    private readonly List<StageExecution> _stages;
    private readonly List<DeploymentRecord> _deployments = [];

    public RunTimeline(PipelineInput input)
    {
        _stages = [new StageExecution("build", StageKind.Build, StageStatus.Pending)];
        _stages.AddRange(input.TestEnvironments.Select(e => new StageExecution(e, StageKind.Test, StageStatus.Pending)));
        _stages.Add(new StageExecution("approval", StageKind.Approval, StageStatus.Pending));
        _stages.AddRange(input.ProductionInstances.Select(e => new StageExecution(e, StageKind.Production, StageStatus.Pending)));
    }

    public RunStatus Status { get; private set; } = RunStatus.Queued;
    public string? ArtifactVersion { get; private set; }
    public string? ManifestBlob { get; private set; }
    public string? Reason { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public void Enter(RunStatus status) => Status = status;

    public void Ready(string stage, DateTimeOffset at) =>
        Update(stage, s => s with { Status = StageStatus.Running, ReadyAt = at });

    public void Built(BuildResult build, DateTimeOffset observedAt)
    {
        ArtifactVersion = build.Version;
        ManifestBlob = build.ManifestBlob;
        Succeeded("build", build.StartedAt, build.FinishedAt, $"artifact {build.Version}", observedAt);
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
        Update("approval", s => s with
        {
            Status = decision.Approved ? StageStatus.Succeeded : StageStatus.Rejected,
            StartedAt = decision.DecidedAt,
            FinishedAt = decision.DecidedAt,
            Detail = detail,
        });
    }

    public void TimedOut(DateTimeOffset at) =>
        Update("approval", s => s with { Status = StageStatus.Rejected, StartedAt = at, FinishedAt = at, Detail = "timed out" });

    public void Failed(string stage, string reason, DateTimeOffset at) =>
        Update(stage, s => s with { Status = StageStatus.Failed, FinishedAt = at, Detail = reason });

    public void Finish(RunStatus status, string? reason, DateTimeOffset at)
    {
        Status = status;
        Reason = reason;
        FinishedAt = at;
        for (var i = 0; i < _stages.Count; i++)
        {
            if (_stages[i].Status == StageStatus.Pending) _stages[i] = _stages[i] with { Status = StageStatus.Skipped };
        }
    }

    public RunProgress Snapshot() =>
        new(Status, [.. _stages], [.. _deployments], ArtifactVersion, ManifestBlob, Reason, FinishedAt);

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
