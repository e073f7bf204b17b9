namespace Serverless.Pipeline.Stacks;

/// <summary>A registered stack as the API shows it: the registration's own shape, with its name and when it was registered.</summary>
public sealed record StackView(
    string Name,
    string Repository,
    string Branch,
    string Path,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string>? Operators,
    IReadOnlyList<EnvironmentView> Environments,
    ProductionView Production,
    DateTimeOffset RegisteredAt)
{
    public static StackView Of(StackDefinition stack)
    {
        var approval = stack.Governance.Production.Approval;
        return new StackView(
            stack.Name, stack.Repository, stack.Branch, stack.Path, stack.Paths, stack.Operators,
            [.. stack.Governance.Environments.Select(e => new EnvironmentView(e.Name, e.Kind == EnvironmentKind.Test ? EnvironmentRegistration.TestKind : EnvironmentRegistration.ProductionKind,
                e.Subscription, e.ResourceGroup, e.Location, e.Ephemeral))],
            new ProductionView(new ApproversView(approval.Users, approval.Groups), approval.MinimumApprovals, approval.AuthorMayApprove,
                (int)approval.Timeout.TotalMinutes, stack.Governance.Production.Branch),
            stack.RegisteredAt);
    }
}

public sealed record EnvironmentView(string Name, string Kind, string Subscription, string ResourceGroup, string Location, bool Ephemeral);

public sealed record ProductionView(ApproversView Approvers, int MinimumApprovals, bool AuthorMayApprove, int TimeoutMinutes, string Branch);

public sealed record ApproversView(IReadOnlyList<string> Users, IReadOnlyList<string> Groups);
