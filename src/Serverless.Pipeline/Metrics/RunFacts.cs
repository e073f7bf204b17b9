using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Metrics;

/// <summary>What a finished run contributes to the metrics, read from its record alone (no I/O).</summary>
public static class RunFacts
{
    /// <summary>True when the run reached the production stage: a production stage became ready, or a production deployment happened.</summary>
    public static bool ReachedProduction(RunProgress progress) =>
        progress.Deployments.Any(d => d.Kind == StageKind.Production) ||
        progress.Stages.Any(s => s.Kind == StageKind.Production && (s.ReadyAt is not null || s.Status is StageStatus.Succeeded or StageStatus.Failed or StageStatus.Running));

    /// <summary>When the release ended: the run's finish on the orchestration clock, the same on every replay.</summary>
    public static DateTimeOffset ReleasedAt(RunRecord record) =>
        record.Progress.FinishedAt
        ?? record.Progress.Deployments.Where(d => d.Kind == StageKind.Production).Select(d => (DateTimeOffset?)d.FinishedAt).Max()
        ?? record.RecordedAt;

    /// <summary>The time a person spent on the change: the wait at the approval gate, from ready to decided.</summary>
    public static double? PersonSeconds(RunProgress progress) =>
        progress.Stages.Where(s => s.Kind == StageKind.Approval).Select(s => s.WaitingSeconds).FirstOrDefault(w => w is not null);

    /// <summary>The run's release, or null if it never reached production.</summary>
    public static Release? ToRelease(RunRecord record, IEnumerable<CommitFact> commits, string? rolledBackBy = null, IReadOnlyList<string>? incidentIds = null)
    {
        var (input, progress) = (record.Input, record.Progress);
        if (!progress.Status.IsFinished() || !ReachedProduction(progress)) return null;
        var production = progress.Deployments.Where(d => d.Kind == StageKind.Production).ToList();
        var failedInstances = FailedDeployments(progress).Count(s => s.Kind == StageKind.Production);
        return Release.Create(
            input.Stack,
            input.RunId,
            input.Commit.Id,
            progress.ChangeType,
            ReleasedAt(record),
            progress.Status == RunStatus.Completed,
            production.Count == 0 ? null : production.Min(d => d.FinishedAt),
            production.Count == 0 ? null : production.Max(d => d.FinishedAt),
            production.Count,
            failedInstances,
            PersonSeconds(progress),
            commits,
            rolledBackBy,
            incidentIds,
            LimitedTo(record));
    }

    /// <summary>The one environment a rollback was ordered for: a partial redelivery, which does not reach every instance.</summary>
    public static string? LimitedTo(RunRecord record) => record.Input.Rollback?.Environment;

    /// <summary>
    /// Every deployment of the run, test and production, as facts of its stack: those that succeeded, and those that
    /// failed (a failed deployment is still a deployment; its stage says when it ended).
    /// </summary>
    public static IReadOnlyList<DeploymentFact> Deployments(RunRecord record)
    {
        var (runId, progress) = (record.Input.RunId, record.Progress);
        var succeeded = progress.Deployments
            .Select(d => new DeploymentFact(runId, d.Environment, d.Kind, d.Version, d.StartedAt, d.FinishedAt));
        var failed = FailedDeployments(progress).Select(s => new DeploymentFact(runId, s.Name, s.Kind, progress.ArtifactVersion ?? "",
            s.StartedAt ?? s.ReadyAt ?? s.FinishedAt!.Value, s.FinishedAt!.Value, Failed: true));
        return [.. succeeded, .. failed];
    }

    /// <summary>The test and production stages whose deployment failed.</summary>
    private static IEnumerable<StageExecution> FailedDeployments(RunProgress progress) =>
        progress.Stages.Where(s => (s.Kind is StageKind.Test or StageKind.Production) && s.Status == StageStatus.Failed && s.FinishedAt is not null);
}
