using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;

namespace Serverless.LocalArm.Tests;

/// <summary>The test double started as a process, as the demo and the end-to-end tests start it.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Started_with_urls_and_CertificateFile_it_writes_the_certificate_a_client_then_trusts()
    {
        var certificateFile = Path.Combine(Path.GetTempPath(), $"localarm-{Guid.NewGuid():N}.pem");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Serverless.LocalArm.dll"), "--urls", "https://127.0.0.1:0", $"--CertificateFile={certificateFile}" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(certificateFile))
            {
                if (process.HasExited)
                    Assert.Fail($"LocalArm exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
                Assert.True(DateTime.UtcNow < deadline, "LocalArm wrote no certificate file within 20 s.");
                await Task.Delay(50);
            }
            var pem = await File.ReadAllTextAsync(certificateFile);
            var endpoint = new Uri(pem.Split('\n').Single(line => line.StartsWith("endpoint: ", StringComparison.Ordinal))["endpoint: ".Length..].Trim());
            using var certificate = X509Certificate2.CreateFromPem(pem);
            Assert.Contains("sha256: " + certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), pem, StringComparison.Ordinal);

            var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback =
                (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(certificate.RawData);
            var client = new ArmClient(new StaticTokenCredential(), "11111111-1111-1111-1111-111111111111", new ArmClientOptions
            {
                Environment = new ArmEnvironment(endpoint, "https://management.azure.com/"),
                Transport = new HttpClientTransport(handler),
            });
            var groups = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier("11111111-1111-1111-1111-111111111111")).GetResourceGroups();
            var group = await groups.CreateOrUpdateAsync(WaitUntil.Completed, "rg-cli", new ResourceGroupData(AzureLocation.NorthEurope));
            Assert.Equal(AzureLocation.NorthEurope, group.Value.Data.Location);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(certificateFile);
        }
    }
}
