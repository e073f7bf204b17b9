using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Deploy;

/// <summary>The deploy slice's surface: rolling a stack back, and the activities that deploy and guard environments.</summary>
public static class DeploySurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Post("RollbackStack", RollbackApi.Route, AccessLevel.Operator, call => call.Service<RollbackApi>().RollbackAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
    ];

    public static IReadOnlyList<WorkflowActivity> Activities { get; } =
    [
        WorkflowActivity.Of<DeployService, DeploymentRequest, DeploymentRecord>(PipelineNames.DeployEnvironment, (deploy, request) => deploy.DeployAsync(request)),
        WorkflowActivity.Of<EnvironmentActivities, EnvironmentLockRequest, bool>(PipelineNames.AcquireEnvironment, (environments, request) => environments.AcquireAsync(request)),
        WorkflowActivity.Of<EnvironmentActivities, EnvironmentLockRequest, bool>(PipelineNames.ReleaseEnvironment, (environments, request) => environments.ReleaseAsync(request)),
        WorkflowActivity.Of<EnvironmentActivities, EphemeralEnvironment, bool>(PipelineNames.RemoveEphemeralEnvironment, (environments, environment) => environments.RemoveEphemeralAsync(environment)),
    ];
}
