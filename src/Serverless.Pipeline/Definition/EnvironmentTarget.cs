namespace Serverless.Pipeline.Definition;

/// <summary>
/// Where one environment (test environment or production instance) lives in Azure Resource Manager.
/// </summary>
/// <param name="Name">The environment's name (the <see cref="Stacks.StackName"/> rule).</param>
/// <param name="Subscription">The subscription id, a GUID in lowercase "D" form.</param>
/// <param name="ResourceGroup">
/// The resource group. For an ephemeral environment this is the base name: the run creates its own
/// resource group from it (for example <c>{resourceGroup}-{run}</c>) and deletes it afterwards.
/// </param>
/// <param name="Location">The Azure region, for example <c>westeurope</c>.</param>
/// <param name="ParametersFile">An ARM deployment parameters JSON file relative to the stack root, or null for none.</param>
/// <param name="HealthUrl">An absolute http(s) URL that answers while the environment is healthy, or null.</param>
/// <param name="Ephemeral">Whether the environment is created for one run and deleted after it (test environments only).</param>
public sealed record EnvironmentTarget(
    string Name,
    string Subscription,
    string ResourceGroup,
    string Location,
    string? ParametersFile,
    string? HealthUrl,
    bool Ephemeral);
