using Microsoft.Extensions.Logging.Abstractions;
using Serverless.LocalArm.Hosting;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class ArmTransportTests : ArmDeployerTestBase
{
    [Fact]
    public async Task A_server_certificate_other_than_the_trusted_one_is_refused_at_once()
    {
        var otherFile = Path.Combine(Path.GetTempPath(), $"other-{Guid.NewGuid():N}.pem");
        using (var other = SelfSignedCertificate.Create())
            SelfSignedCertificate.WriteFile(other, Server.BaseUri, otherFile);
        try
        {
            var options = new ArmOptions { Endpoint = Server.BaseUri, StaticToken = "t", TrustedCertificateFile = otherFile, RetryDelay = TimeSpan.FromMilliseconds(10) };
            var deployer = new ArmDeployer(ArmClientFactory.Create(options), Options.Create(options), TimeProvider.System, NullLogger<ArmDeployer>.Instance);

            var error = await Assert.ThrowsAsync<PermanentArmException>(() => deployer.ResourceGroupExistsAsync(Subscription, "rg-any"));

            Assert.Contains("TLS certificate", error.Message, StringComparison.Ordinal);
            Assert.Empty(Server.Requests.Snapshot());
        }
        finally
        {
            File.Delete(otherFile);
        }
    }

    [Fact]
    public async Task A_network_failure_is_retried_the_configured_attempts_and_then_ends_the_request()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var options = new ArmOptions
        {
            Endpoint = new Uri($"https://127.0.0.1:{closedPort}/"), StaticToken = "t", TrustedCertificateFile = CertificateFile,
            MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        var deployer = new ArmDeployer(ArmClientFactory.Create(options), Options.Create(options), TimeProvider.System, NullLogger<ArmDeployer>.Instance);

        var error = await Assert.ThrowsAsync<ArmRetriesExhaustedException>(() => deployer.ResourceGroupExistsAsync(Subscription, "rg-any"));

        Assert.Equal(3, error.Attempts);
        Assert.Contains("3 time(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("no answer", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Status);
    }

    [Fact]
    public void A_missing_certificate_file_says_what_it_should_be()
    {
        var options = new ArmOptions { Endpoint = Server.BaseUri, StaticToken = "t", TrustedCertificateFile = "/nonexistent/localarm.pem" };

        var error = Assert.Throws<InvalidOperationException>(() => ArmClientFactory.Create(options));

        Assert.Contains("--CertificateFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_request_carries_the_bearer_token_so_the_double_never_answers_401()
    {
        await Deployer.DeployAsync(Request("rg-auth", "auth-1", ArmTemplates.StorageAndSite(), ArmTemplates.ParametersFile("a")));

        Assert.DoesNotContain(Server.Requests.Snapshot(), r => r.Status == 401);
    }
}
