namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>The deployer's contract, for the deploy activity and for fakes in orchestration tests.</summary>
public interface IArmDeployer
{
    /// <summary>
    /// Deploys <paramref name="request"/> in incremental mode under its deterministic name, creating the
    /// resource group when absent, and waits for the end. A deployment already under this name is
    /// awaited when running and returned as it is when it succeeded with the same content.
    /// </summary>
    /// <exception cref="PermanentArmException">ARM refused the deployment or it failed; retrying cannot help.</exception>
    /// <exception cref="TransientArmException">ARM stayed unavailable, or the deployment still runs at the timeout; retry with the same name.</exception>
    Task<ArmDeploymentOutcome> DeployAsync(ArmDeploymentRequest request, CancellationToken cancellation = default);

    /// <summary>What <see cref="DeployAsync"/> would change, by ARM's what-if; changes nothing.</summary>
    Task<WhatIfOutcome> WhatIfAsync(ArmDeploymentRequest request, CancellationToken cancellation = default);

    /// <summary>Deletes a resource group and waits until it is gone; an absent group is fine.</summary>
    Task DeleteResourceGroupAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default);

    Task<bool> ResourceGroupExistsAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default);
}
