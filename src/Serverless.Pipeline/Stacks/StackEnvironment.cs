namespace Serverless.Pipeline.Stacks;

/// <summary>Whether an environment tests changes or serves production (only production waits for an approval).</summary>
public enum EnvironmentKind { Test, Production }

/// <summary>
/// One environment of a stack as its registration defines it: the only place that says where the environment lives in
/// Azure Resource Manager. delivery.yaml refers to it by name and cannot move it.
/// </summary>
/// <param name="ResourceGroup">The resource group; for an ephemeral environment the run makes its own and deletes it afterwards.</param>
/// <param name="Ephemeral">Whether the environment is made for one run (test environments only).</param>
public sealed record StackEnvironment(
    string Name,
    EnvironmentKind Kind,
    string Subscription,
    string ResourceGroup,
    string Location,
    bool Ephemeral = false)
{
    /// <summary>The ARM target, as one text: <c>{subscription}/{resourceGroup}</c>.</summary>
    public string Target() => $"{Subscription}/{ResourceGroup}";
}
