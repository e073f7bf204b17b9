namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// One deployment at resource-group scope.
/// </summary>
/// <param name="SubscriptionId">The subscription id (a GUID).</param>
/// <param name="ResourceGroup">The resource group; created with <paramref name="Location"/> and <paramref name="Tags"/> when absent.</param>
/// <param name="Location">The Azure region of the resource group when it has to be created.</param>
/// <param name="DeploymentName">
/// The deterministic deployment name (<see cref="Arm.DeploymentName.For"/>): a replayed activity passes the
/// same name and finds its deployment instead of starting another.
/// </param>
/// <param name="Template">The ARM JSON template (for a Bicep stack: the build stage's compiled <c>main.json</c>).</param>
/// <param name="Parameters">
/// An ARM deployment parameters file (<c>{"$schema", "contentVersion", "parameters": {...}}</c>; its
/// <c>parameters</c> object is sent), a bare <c>{"name": {"value": ...}}</c> object, or null for none.
/// </param>
/// <param name="Tags">Tags of the resource group when the deployer creates it.</param>
public sealed record ArmDeploymentRequest(
    string SubscriptionId,
    string ResourceGroup,
    string Location,
    string DeploymentName,
    string Template,
    string? Parameters,
    IReadOnlyDictionary<string, string>? Tags = null);
