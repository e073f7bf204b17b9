using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Functions;

/// <summary>
/// The orchestrator, and the activities declared in BuildSurface, RunsSurface and DeploySurface, under their shared
/// names. Written by hand because the class-based source generator is not available; each adapter only forwards.
/// </summary>
public sealed class WorkflowFunctions(IServiceProvider services) : SurfaceAdapter(services)
{
    [Function(PipelineNames.Orchestrator)]
    public static Task<PipelineResult> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PipelineOrchestrator().RunAsync(context, context.GetInput<PipelineInput>()
            ?? throw new InvalidOperationException("The pipeline orchestration was started without input."));

    [Function(PipelineNames.BuildArtifact)]
    public Task<BuildResult> BuildArtifact([ActivityTrigger] BuildRequest request) =>
        Run<BuildRequest, BuildResult>(PipelineNames.BuildArtifact, request);

    [Function(PipelineNames.DeployEnvironment)]
    public Task<DeploymentRecord> DeployEnvironment([ActivityTrigger] DeploymentRequest request) =>
        Run<DeploymentRequest, DeploymentRecord>(PipelineNames.DeployEnvironment, request);

    [Function(PipelineNames.AcquireEnvironment)]
    public Task<bool> AcquireEnvironment([ActivityTrigger] EnvironmentLockRequest request) =>
        Run<EnvironmentLockRequest, bool>(PipelineNames.AcquireEnvironment, request);

    [Function(PipelineNames.ReleaseEnvironment)]
    public Task<bool> ReleaseEnvironment([ActivityTrigger] EnvironmentLockRequest request) =>
        Run<EnvironmentLockRequest, bool>(PipelineNames.ReleaseEnvironment, request);

    [Function(PipelineNames.RemoveEphemeralEnvironment)]
    public Task<bool> RemoveEphemeralEnvironment([ActivityTrigger] EphemeralEnvironment environment) =>
        Run<EphemeralEnvironment, bool>(PipelineNames.RemoveEphemeralEnvironment, environment);

    [Function(PipelineNames.FindSupersededRuns)]
    public Task<List<string>> FindSupersededRuns([ActivityTrigger] SupersedeRequest request) =>
        Run<SupersedeRequest, List<string>>(PipelineNames.FindSupersededRuns, request);

    [Function(PipelineNames.RecordRun)]
    public Task<bool> RecordRun([ActivityTrigger] RunRecord record) => Run<RunRecord, bool>(PipelineNames.RecordRun, record);
}
