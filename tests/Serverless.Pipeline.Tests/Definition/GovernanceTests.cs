namespace Serverless.Pipeline.Tests.Definition;

/// <summary>
/// delivery.yaml read against the stack's registration: it names registered environments and may make the protection of
/// production stricter, never looser; where environments are is the registration's, whatever the file says.
/// </summary>
public sealed class GovernanceTests
{
    private static readonly StackGovernance Registered = TestStacks.Governance(["dev", "staging"], ["prod-a", "prod-b"],
        new ApprovalPolicy(["alice@contoso.example", "bob@contoso.example"], ["net-owners"], 1, false, TimeSpan.FromHours(4)));

    private const string Pipeline = """
        template: main.bicep
        stages:
          - name: test
            environments:
              - name: dev
                parameters: parameters/dev.json
              - staging
        production:
          waves:
            - name: all
              instances: [prod-a, prod-b]
        """;

    private static DeliveryParseResult Parse(string yaml) => DeliveryYaml.Parse(DeliveryYaml.FileName, yaml, Registered);

    [Fact]
    public void Environments_named_by_delivery_yaml_take_their_targets_and_the_policy_from_the_registration()
    {
        var definition = Parse(Pipeline).Definition!;

        var dev = definition.TestEnvironments().First();
        Assert.Equal(("dev", TestStacks.TestSubscription, "rg-dev", "parameters/dev.json"), (dev.Name, dev.Subscription, dev.ResourceGroup, dev.ParametersFile));
        Assert.Equal(["rg-prod-a", "rg-prod-b"], definition.ProductionInstances().Select(e => e.ResourceGroup));
        Assert.Same(Registered.Production.Approval, definition.Approval);
    }

    [Fact]
    public void A_change_cannot_move_an_environment_into_another_resource_group()
    {
        // The breach: a test stage pointed at another stack's production resource group.
        var problems = Parse(Pipeline.Replace("        parameters: parameters/dev.json",
            "        subscription: 22222222-2222-2222-2222-222222222222\n        resourceGroup: rg-victim-prod\n        parameters: parameters/dev.json")).Problems;

        Assert.Equal(["stages[0].environments[0].resourceGroup", "stages[0].environments[0].subscription"], problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Contains("registration decides where environments are", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_change_can_only_name_registered_environments_of_the_right_kind_and_must_deliver_every_one()
    {
        var problems = Parse(Pipeline.Replace("      - staging", "      - prod-b\n      - qa").Replace("[prod-a, prod-b]", "[prod-a, prod-c]")).Problems;

        Assert.Contains(problems, p => p.Field == "stages[0].environments[1]" && p.Message.Contains("registered as a production environment", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "stages[0].environments[2]" && p.Message.Contains("No environment 'qa' is registered", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "production.waves[0].instances[1]" && p.Message.Contains("'prod-c' is registered for this stack. Did you mean 'prod-a'?", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "stages" && p.Message.Contains("'staging'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_change_cannot_loosen_the_protection_of_production()
    {
        // The breach: an unmerged commit named its own author as approver and let authors approve.
        var problems = Parse(Pipeline + """

            approval:
              approvers:
                users: [mallory@contoso.example]
                groups: [everyone]
              minimumApprovals: 0
              authorMayApprove: true
              timeout: 30d
            """).Problems;

        Assert.Equal(["approval.approvers.groups[0]", "approval.approvers.users[0]", "approval.authorMayApprove", "approval.minimumApprovals", "approval.timeout"],
            problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Contains("not among the users the stack's registration lets approve", problems.Single(p => p.Field == "approval.approvers.users[0]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_may_make_the_protection_of_production_stricter()
    {
        var definition = Parse(Pipeline + """

            approval:
              approvers:
                users: [bob@contoso.example, alice@contoso.example]
              minimumApprovals: 2
              timeout: 1h
            """).Definition!;

        Assert.Equal(new[] { "bob@contoso.example", "alice@contoso.example" }, definition.Approval.Users);
        Assert.Empty(definition.Approval.Groups);
        Assert.Equal((2, false, TimeSpan.FromHours(1)), (definition.Approval.MinimumApprovals, definition.Approval.AuthorMayApprove, definition.Approval.Timeout));
    }

    [Fact]
    public void A_registration_without_environments_leaves_nothing_for_the_file_to_name()
    {
        var problems = DeliveryYaml.Parse(DeliveryYaml.FileName, Pipeline, new StackGovernance([], Registered.Production)).Problems;

        Assert.Contains(problems, p => p.Message.Contains("No environment 'dev' is registered", StringComparison.Ordinal));
    }
}
