using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>A run as the API shows it.</summary>
public sealed record RunView(
    string Id,
    string Stack,
    CommitInfo Commit,
    RunStatus Status,
    string? Reason,
    string? ArtifactVersion,
    string? ManifestBlob,
    DateTimeOffset RequestedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<StageExecution> Stages,
    IReadOnlyList<DeploymentRecord> Deployments,
    string? ChangeType = null,
    string? BuildLog = null,
    string? RequestedBy = null)
{
    public static RunView From(PipelineInput input, RunProgress? progress)
    {
        progress ??= new RunProgress(RunStatus.Queued, [], []);
        return new RunView(
            input.RunId, input.Stack, progress.Commit ?? input.Commit, progress.Status, progress.Reason, progress.ArtifactVersion,
            progress.ManifestBlob, input.RequestedAt, progress.FinishedAt, progress.Stages, progress.Deployments,
            progress.ChangeType, progress.BuildLog, input.RequestedBy);
    }
}

/// <summary>A line of the run list.</summary>
public sealed record RunSummary(
    string Id,
    string Stack,
    string Commit,
    RunStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? FinishedAt,
    string? ArtifactVersion);
