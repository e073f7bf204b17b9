using Serverless.Pipeline.Deploy.Arm;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Deploy;

/// <summary>The run's housekeeping around deployments: target locks and ephemeral resource groups.</summary>
public sealed class EnvironmentActivities(EnvironmentLocks locks, IArmDeployer arm)
{
    public Task<bool> AcquireAsync(EnvironmentLockRequest request, CancellationToken cancellation = default) =>
        locks.TryAcquireAsync(request.Target, request.RunId, request.QueuedAt, cancellation);

    public async Task<bool> ReleaseAsync(EnvironmentLockRequest request, CancellationToken cancellation = default)
    {
        await locks.ReleaseAsync(request.Target, request.RunId, request.QueuedAt, cancellation);
        return true;
    }

    public async Task<bool> RemoveEphemeralAsync(EphemeralEnvironment environment, CancellationToken cancellation = default)
    {
        await arm.DeleteResourceGroupAsync(environment.Subscription, environment.ResourceGroup, cancellation);
        return true;
    }

    /// <summary>The resource group an ephemeral environment gets for the run of a commit: <c>rg-{stack}-{commit, 12 characters}</c>, at most 90 characters.</summary>
    public static string EphemeralResourceGroup(string stack, string commit)
    {
        var name = $"rg-{stack}-{commit[..Math.Min(12, commit.Length)]}";
        return name.Length <= 90 ? name : name[..90];
    }
}
