namespace Serverless.Pipeline.Stacks;

/// <summary>The stack registered at start-up of the self-hosted service, so that the demo has something to deliver.</summary>
public static class SampleStack
{
    public const string Name = "sample-network";

    private const string TestSubscription = "11111111-1111-1111-1111-111111111111";
    private const string ProductionSubscription = "22222222-2222-2222-2222-222222222222";

    public static StackRegistration Registration { get; } = new(
        Repository: "https://example.invalid/platform/sample-network.git",
        Environments:
        [
            new("dev", EnvironmentRegistration.TestKind, TestSubscription, "rg-sample-network-dev", "westeurope", Ephemeral: true),
            new("staging", EnvironmentRegistration.TestKind, TestSubscription, "rg-sample-network-staging", "westeurope"),
            new("prod-westeurope", EnvironmentRegistration.ProductionKind, ProductionSubscription, "rg-sample-network-prod-westeurope", "westeurope"),
            new("prod-northeurope", EnvironmentRegistration.ProductionKind, ProductionSubscription, "rg-sample-network-prod-northeurope", "northeurope"),
            new("prod-eastus", EnvironmentRegistration.ProductionKind, "33333333-3333-3333-3333-333333333333", "rg-sample-network-prod-eastus", "eastus"),
        ],
        Production: new ProductionRegistration(
            new ApproversRegistration(Users: ["alice@contoso.example", "bob@contoso.example"], Groups: ["platform-network-owners"]),
            MinimumApprovals: 1,
            AuthorMayApprove: false,
            TimeoutMinutes: 60));
}
