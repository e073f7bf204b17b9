using Microsoft.DurableTask;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.LocalHost.Activities;

// Thin adapters: each registers a stage service of Serverless.Pipeline under its activity name.

[DurableTask(PipelineNames.BuildArtifact)]
public sealed class BuildArtifactActivity(BuildService build) : TaskActivity<BuildRequest, BuildResult>
{
    public override Task<BuildResult> RunAsync(TaskActivityContext context, BuildRequest input) => build.BuildAsync(input);
}

[DurableTask(PipelineNames.DeployEnvironment)]
public sealed class DeployEnvironmentActivity(DeployService deploy) : TaskActivity<DeploymentRequest, DeploymentRecord>
{
    public override Task<DeploymentRecord> RunAsync(TaskActivityContext context, DeploymentRequest input) => deploy.DeployAsync(input);
}

[DurableTask(PipelineNames.RecordRun)]
public sealed class RecordRunActivity(RunRecorder recorder) : TaskActivity<RunRecord, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RunRecord input)
    {
        await recorder.RecordAsync(input);
        return true;
    }
}

[DurableTask(PipelineNames.AcquireEnvironment)]
public sealed class AcquireEnvironmentActivity(EnvironmentActivities environments) : TaskActivity<EnvironmentLockRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, EnvironmentLockRequest input) => environments.AcquireAsync(input);
}

[DurableTask(PipelineNames.ReleaseEnvironment)]
public sealed class ReleaseEnvironmentActivity(EnvironmentActivities environments) : TaskActivity<EnvironmentLockRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, EnvironmentLockRequest input) => environments.ReleaseAsync(input);
}

[DurableTask(PipelineNames.RemoveEphemeralEnvironment)]
public sealed class RemoveEphemeralEnvironmentActivity(EnvironmentActivities environments) : TaskActivity<EphemeralEnvironment, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, EphemeralEnvironment input) => environments.RemoveEphemeralAsync(input);
}

[DurableTask(PipelineNames.FindSupersededRuns)]
public sealed class FindSupersededRunsActivity(SupersedeFinder finder) : TaskActivity<SupersedeRequest, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskActivityContext context, SupersedeRequest input) => [.. await finder.FindAsync(input)];
}
