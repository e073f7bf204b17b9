using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Functions;

/// <summary>
/// The orchestrator and activities of Serverless.Pipeline under their shared names. Written by hand
/// because the class-based source generator is not available; each adapter only forwards.
/// </summary>
public sealed class WorkflowFunctions(BuildService build, DeployService deploy, EnvironmentActivities environments, SupersedeFinder supersede, RunRecorder recorder)
{
    [Function(PipelineNames.Orchestrator)]
    public static Task<PipelineResult> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PipelineOrchestrator().RunAsync(context, context.GetInput<PipelineInput>()
            ?? throw new InvalidOperationException("The pipeline orchestration was started without input."));

    [Function(PipelineNames.BuildArtifact)]
    public Task<BuildResult> BuildArtifact([ActivityTrigger] BuildRequest request) => build.BuildAsync(request);

    [Function(PipelineNames.DeployEnvironment)]
    public Task<DeploymentRecord> DeployEnvironment([ActivityTrigger] DeploymentRequest request) => deploy.DeployAsync(request);

    [Function(PipelineNames.AcquireEnvironment)]
    public Task<bool> AcquireEnvironment([ActivityTrigger] EnvironmentLockRequest request) => environments.AcquireAsync(request);

    [Function(PipelineNames.ReleaseEnvironment)]
    public Task<bool> ReleaseEnvironment([ActivityTrigger] EnvironmentLockRequest request) => environments.ReleaseAsync(request);

    [Function(PipelineNames.RemoveEphemeralEnvironment)]
    public Task<bool> RemoveEphemeralEnvironment([ActivityTrigger] EphemeralEnvironment environment) => environments.RemoveEphemeralAsync(environment);

    [Function(PipelineNames.FindSupersededRuns)]
    public async Task<List<string>> FindSupersededRuns([ActivityTrigger] SupersedeRequest request) => [.. await supersede.FindAsync(request)];

    [Function(PipelineNames.RecordRun)]
    public Task RecordRun([ActivityTrigger] RunRecord record) => recorder.RecordAsync(record);
}
