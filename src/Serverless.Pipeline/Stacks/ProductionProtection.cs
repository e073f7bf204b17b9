using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Stacks;

/// <summary>
/// What protects a stack's production instances, as its registration (an Admin) defines it: who approves, how many,
/// whether an author may approve their own change, how long the gate waits, and which branches may reach production.
/// A change's delivery.yaml may make this stricter, never looser.
/// </summary>
/// <param name="Branch">A branch name or glob: production takes only commits that are on a matching branch.</param>
public sealed record ProductionProtection(ApprovalPolicy Approval, string Branch);

/// <summary>Everything a stack's registration decides that the change under review cannot: its environments and the protection of production.</summary>
public sealed record StackGovernance(IReadOnlyList<StackEnvironment> Environments, ProductionProtection Production)
{
    public StackEnvironment? Find(string name) => Environments.FirstOrDefault(e => e.Name == name);

    public IReadOnlyList<string> NamesOf(EnvironmentKind kind) => [.. Environments.Where(e => e.Kind == kind).Select(e => e.Name)];
}
