namespace Serverless.Pipeline.Stacks;

/// <summary>The stack registered at start-up of the self-hosted service, so that the demo has something to deliver.</summary>
public static class SampleStack
{
    public const string Name = "sample-network";

    public static StackRegistration Registration { get; } = new(
        Repository: "https://example.invalid/platform/sample-network.git",
        TestEnvironments: ["dev", "staging"],
        ProductionInstances: ["prod-westeurope", "prod-northeurope", "prod-eastus"],
        ApprovalTimeoutMinutes: 60);
}
