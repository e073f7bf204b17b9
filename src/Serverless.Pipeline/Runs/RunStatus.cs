namespace Serverless.Pipeline.Runs;

public enum RunStatus
{
    Queued,
    Building,
    Testing,
    AwaitingApproval,
    DeployingProduction,
    Completed,
    Failed,
    Rejected,
    Superseded,
}

public static class RunStatusExtensions
{
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Completed or RunStatus.Failed or RunStatus.Rejected or RunStatus.Superseded;
}
