using Serverless.Pipeline.Build;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// Applies a verified artifact to one environment and records the version it now runs.
/// This version verifies the artifact and records the result; the deployments issue adds
/// Azure Resource Manager.
/// </summary>
public sealed class DeployService(ArtifactStore artifacts, EnvironmentStore environments, TimeProvider clock)
{
    public async Task<DeploymentRecord> DeployAsync(DeploymentRequest request, CancellationToken cancellation = default)
    {
        var startedAt = clock.GetUtcNow();
        await artifacts.ReadVerifiedAsync(request.Stack, request.Version, cancellation);
        var finishedAt = clock.GetUtcNow();
        await environments.RecordAppliedAsync(request.Stack, request.Environment, request.Version, request.RunId, finishedAt, cancellation);
        return new DeploymentRecord(request.Environment, request.Kind, request.Version, startedAt, finishedAt);
    }
}
