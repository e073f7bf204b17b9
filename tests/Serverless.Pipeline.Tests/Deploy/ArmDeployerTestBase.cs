using Microsoft.Extensions.Configuration;
using Serverless.LocalArm;
using Serverless.LocalArm.Http;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

/// <summary>
/// A fresh LocalArm (the ARM test double) per test, in-process, and the deployer wired exactly as a
/// host wires it: <c>AddArmDeployer</c> over configuration that points <c>Arm:Endpoint</c> at it and
/// trusts the PEM file it wrote.
/// </summary>
public abstract class ArmDeployerTestBase : IAsyncLifetime
{
    protected const string Subscription = "00000000-0000-0000-0000-0000000000bb";

    private readonly string certificateFile = Path.Combine(Path.GetTempPath(), $"localarm-{Guid.NewGuid():N}.pem");
    private ServiceProvider services = null!;

    protected LocalArmServer Server { get; private set; } = null!;

    protected ArmDeployer Deployer { get; private set; } = null!;

    /// <summary>The PEM file LocalArm wrote, which the deployer trusts.</summary>
    protected string CertificateFile => certificateFile;

    /// <summary>Settings on top of the test defaults (fast polling and retries).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public async Task InitializeAsync()
    {
        Server = await LocalArmServer.StartAsync(new LocalArmOptions { PollInterval = TimeSpan.FromMilliseconds(50), CertificateFile = certificateFile });
        var settings = new Dictionary<string, string?>
        {
            ["Arm:Endpoint"] = Server.BaseUri.ToString(),
            ["Arm:TrustedCertificateFile"] = certificateFile,
            ["Arm:StaticToken"] = "pipeline-tests",
            ["Arm:PollInterval"] = "00:00:00.050",
            ["Arm:RetryDelay"] = "00:00:00.050",
            ["Arm:MaxRetryDelay"] = "00:00:00.500",
            ["Arm:MaxAttempts"] = "4",
            ["Arm:DeploymentTimeout"] = "00:00:30",
        };
        foreach (var (key, value) in Settings)
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddArmDeployer()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Deployer = services.GetRequiredService<ArmDeployer>();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await Server.DisposeAsync();
    }

    protected static ArmDeploymentRequest Request(string resourceGroup, string deploymentName, string template, string? parameters) =>
        new(Subscription, resourceGroup, "westeurope", deploymentName, template, parameters, new Dictionary<string, string> { ["stack"] = "tests" });

    /// <summary>The requests the test double answered for one method whose path contains <paramref name="pathPart"/>.</summary>
    protected IReadOnlyList<JournalEntry> Requests(string method, string pathPart) =>
        [.. Server.Requests.Snapshot().Where(r => r.Method == method && r.Path.Contains(pathPart, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The deployment PUTs answered (not what-if, not resource groups).</summary>
    protected IReadOnlyList<int> DeploymentPuts() =>
        [.. Requests("PUT", "/providers/Microsoft.Resources/deployments/").Select(r => r.Status)];
}
