namespace Serverless.Pipeline.Runs;

public enum StageKind { Build, Test, Approval, Production }

public enum StageStatus { Pending, Running, Succeeded, Failed, Rejected, Skipped }

/// <summary>
/// One stage of a run on its timeline. <see cref="ReadyAt"/> is when the run reached the stage,
/// <see cref="StartedAt"/> when work on it began and <see cref="FinishedAt"/> when it ended:
/// the time between ready and started is waiting (queues, a person), the rest is working.
/// </summary>
public sealed record StageExecution(
    string Name,
    StageKind Kind,
    StageStatus Status,
    DateTimeOffset? ReadyAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Detail = null)
{
    public double? WaitingSeconds => ReadyAt is { } ready && (StartedAt ?? FinishedAt) is { } start
        ? Math.Max(0, (start - ready).TotalSeconds)
        : null;

    public double? WorkingSeconds => StartedAt is { } start && FinishedAt is { } end
        ? Math.Max(0, (end - start).TotalSeconds)
        : null;
}
