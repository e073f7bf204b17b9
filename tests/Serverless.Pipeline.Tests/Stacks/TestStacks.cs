namespace Serverless.Pipeline.Tests.Stacks;

/// <summary>Registrations and governance for tests: environments by name, each in its own resource group, approved by alice or bob.</summary>
internal static class TestStacks
{
    public const string TestSubscription = "11111111-1111-1111-1111-111111111111";
    public const string ProductionSubscription = "22222222-2222-2222-2222-222222222222";
    public static readonly List<string> Approvers = ["alice@contoso.example", "bob@contoso.example"];

    public static EnvironmentRegistration Test(string name, bool ephemeral = false) =>
        new(name, EnvironmentRegistration.TestKind, TestSubscription, $"rg-{name}", "westeurope", ephemeral ? true : null);

    public static EnvironmentRegistration Production(string name) =>
        new(name, EnvironmentRegistration.ProductionKind, ProductionSubscription, $"rg-{name}", "westeurope");

    public static ProductionRegistration Protection(int minimumApprovals = 1, bool? authorMayApprove = null, int? timeoutMinutes = null, string? branch = null, List<string>? users = null) =>
        new(new ApproversRegistration(users ?? Approvers), minimumApprovals, authorMayApprove, timeoutMinutes, branch);

    public static StackRegistration Registration(string repository, IEnumerable<string>? test = null, IEnumerable<string>? production = null,
        string? branch = null, List<string>? paths = null, string? path = null, List<string>? operators = null, ProductionRegistration? protection = null) =>
        new(repository, [.. (test ?? []).Select(n => Test(n)), .. (production ?? ["prod"]).Select(Production)], protection ?? Protection(), branch, paths, path, operators);

    public static StackGovernance Governance(IEnumerable<string>? test = null, IEnumerable<string>? production = null, ApprovalPolicy? approval = null, string branch = "main") =>
        new([.. (test ?? []).Select(n => new StackEnvironment(n, EnvironmentKind.Test, TestSubscription, $"rg-{n}", "westeurope")),
             .. (production ?? ["prod"]).Select(n => new StackEnvironment(n, EnvironmentKind.Production, ProductionSubscription, $"rg-{n}", "westeurope"))],
            new ProductionProtection(approval ?? new ApprovalPolicy(Approvers, [], 1, false, TimeSpan.FromHours(1)), branch));

    /// <summary>
    /// A registration that agrees with a delivery.yaml that still writes its environments' targets (the form before they
    /// moved to the registration), with the sample's approvers; the sample stack's registration when the file cannot be read.
    /// </summary>
    public static StackGovernance AgreeingWith(string deliveryYamlPath)
    {
        var sample = SampleStack.Registration.ToDefinition(SampleStack.Name, DateTimeOffset.UtcNow).Governance;
        if (!File.Exists(deliveryYamlPath)) return sample;
        var parsed = DeliveryYaml.Parse(DeliveryYaml.FileName, File.ReadAllText(deliveryYamlPath));
        if (parsed.Definition is not { } definition || definition.TestEnvironments().Concat(definition.ProductionInstances()).Any(e => e.Subscription.Length == 0))
            return sample;
        return new StackGovernance(
            [.. definition.TestEnvironments().Select(e => new StackEnvironment(e.Name, EnvironmentKind.Test, e.Subscription, e.ResourceGroup, e.Location, e.Ephemeral)),
             .. definition.ProductionInstances().Select(e => new StackEnvironment(e.Name, EnvironmentKind.Production, e.Subscription, e.ResourceGroup, e.Location))],
            new ProductionProtection(definition.Approval with { Users = definition.Approval.Users.Count + definition.Approval.Groups.Count == 0 ? Approvers : definition.Approval.Users }, "main"));
    }

    public static StackDefinition Definition(string name, string repository, IEnumerable<string>? test = null, IEnumerable<string>? production = null, DateTimeOffset? at = null) =>
        new(name, repository, Governance(test, production), at ?? DateTimeOffset.UtcNow);
}
