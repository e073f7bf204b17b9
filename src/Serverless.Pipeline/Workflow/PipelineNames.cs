namespace Serverless.Pipeline.Workflow;

/// <summary>
/// Names of the orchestrator, its activities and its events: the contract between the workflow
/// and the two hosts, which register an adapter under each name.
/// </summary>
public static class PipelineNames
{
    public const string Orchestrator = "PipelineOrchestrator";

    public const string BuildArtifact = "BuildArtifact";
    public const string DeployEnvironment = "DeployEnvironment";
    public const string RecordRun = "RecordRun";
    public const string AcquireEnvironment = "AcquireEnvironment";
    public const string ReleaseEnvironment = "ReleaseEnvironment";
    public const string RemoveEphemeralEnvironment = "RemoveEphemeralEnvironment";
    public const string FindSupersededRuns = "FindSupersededRuns";

    public const string ApprovalDecisionEvent = "ApprovalDecision";
    public const string SupersededEvent = "Superseded";

    public static IReadOnlyList<string> Activities { get; } =
        [BuildArtifact, DeployEnvironment, RecordRun, AcquireEnvironment, ReleaseEnvironment, RemoveEphemeralEnvironment, FindSupersededRuns];
}
