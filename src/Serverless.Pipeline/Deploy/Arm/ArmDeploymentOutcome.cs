using System.Text.Json;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// A deployment that ended Succeeded (failures are thrown: <see cref="PermanentArmException"/> or
/// <see cref="TransientArmException"/>). Serializable, so that an activity can return it.
/// </summary>
/// <param name="DeploymentId">The deployment's ARM resource id.</param>
/// <param name="DeploymentName">The deployment name.</param>
/// <param name="ProvisioningState">ARM's final state: <c>Succeeded</c>.</param>
/// <param name="Outputs">The template's outputs: name → value (the <c>value</c> of ARM's <c>{type, value}</c>).</param>
/// <param name="CorrelationId">ARM's correlation id of the deployment, for support requests.</param>
/// <param name="Timestamp">When ARM finished the deployment.</param>
/// <param name="Duration">How long ARM took, as ARM reports it (ISO 8601, e.g. <c>PT1M3.2S</c>).</param>
/// <param name="Reused">True when a deployment with this name and the same content had already succeeded and nothing was deployed again.</param>
/// <param name="ResourceGroupCreated">True when this call created the resource group.</param>
public sealed record ArmDeploymentOutcome(
    string DeploymentId,
    string DeploymentName,
    string ProvisioningState,
    IReadOnlyDictionary<string, JsonElement> Outputs,
    string? CorrelationId,
    DateTimeOffset? Timestamp,
    string? Duration,
    bool Reused,
    bool ResourceGroupCreated);
