using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;

namespace Serverless.LocalArm.Tests;

/// <summary>
/// Starts a fresh test double for each test (xUnit makes one instance per test) and an ArmClient
/// from the real Azure SDK that trusts exactly its certificate.
/// </summary>
public abstract class LocalArmTestBase : IAsyncLifetime
{
    protected const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";

    protected LocalArmServer Server { get; private set; } = null!;

    protected ArmClient Client { get; private set; } = null!;

    protected virtual LocalArmOptions Options => new() { PollInterval = TimeSpan.FromMilliseconds(50) };

    public async Task InitializeAsync()
    {
        Server = await LocalArmServer.StartAsync(Options);
        Client = CreateClient(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The client setup a deployer uses against the test double.</summary>
    internal static ArmClient CreateClient(LocalArmServer server)
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(server.BaseUri, "https://management.azure.com/"),
            Transport = new HttpClientTransport(server.CreateTrustingHandler()),
        };
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        return new ArmClient(new StaticTokenCredential(), SubscriptionId, options);
    }

    protected ResourceGroupCollection ResourceGroups =>
        Client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(SubscriptionId)).GetResourceGroups();

    protected async Task<ResourceGroupResource> CreateResourceGroupAsync(string name) =>
        (await ResourceGroups.CreateOrUpdateAsync(WaitUntil.Completed, name, new ResourceGroupData(AzureLocation.WestEurope))).Value;

    protected static ResourceIdentifier DeploymentId(string resourceGroup, string name) =>
        new($"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Resources/deployments/{name}");

    internal RawArm Raw => RawArm.For(Client, SubscriptionId);
}
