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
        var artifact = await artifacts.ReadVerifiedAsync(request.Stack, request.Version, cancellation);
        if (request.Target.ParametersFile is not null && !artifact.Files.ContainsKey(BuildService.ParametersFile(request.Environment)))
            throw new ArtifactIntegrityException($"Artifact {request.Stack} {request.Version} has no parameters for {request.Environment}.");
        var finishedAt = clock.GetUtcNow();
        await environments.RecordAppliedAsync(request.Stack, request.Environment, request.Version, request.RunId, finishedAt, cancellation);
        return new DeploymentRecord(request.Environment, request.Kind, request.Version, startedAt, finishedAt);
    }
}
