using System.Text.Json;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>An ARM deployer that succeeds at once and remembers what it was asked to deploy.</summary>
public sealed class RecordingArmDeployer : IArmDeployer
{
    public List<ArmDeploymentRequest> Deployed { get; } = [];

    public Task<ArmDeploymentOutcome> DeployAsync(ArmDeploymentRequest request, CancellationToken cancellation = default)
    {
        lock (Deployed) Deployed.Add(request);
        return Task.FromResult(new ArmDeploymentOutcome($"/subscriptions/{request.SubscriptionId}/deployments/{request.DeploymentName}",
            request.DeploymentName, "Succeeded", new Dictionary<string, JsonElement>(), null, DateTimeOffset.UtcNow, "PT0S", false, false));
    }

    public Task<WhatIfOutcome> WhatIfAsync(ArmDeploymentRequest request, CancellationToken cancellation = default) =>
        Task.FromResult(new WhatIfOutcome([], true));

    public Task DeleteResourceGroupAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default) => Task.CompletedTask;

    public Task<bool> ResourceGroupExistsAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default) => Task.FromResult(true);
}
