using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Microsoft.Extensions.Logging;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// Builds the one <see cref="ArmClient"/> from <see cref="ArmOptions"/>: endpoint and audience, the
/// credential (a managed identity in Azure; a static token for the test double), the transport
/// (pinned to the test double's certificate when configured), and the one retry layer for ARM requests:
/// Azure.Core's retry policy, deciding with <see cref="ArmFailures"/> (<see cref="ArmRetryPolicy"/>).
/// </summary>
public static class ArmClientFactory
{
    public static ArmClient Create(ArmOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems() is { Count: > 0 } problems)
            throw new InvalidOperationException(string.Join(" ", problems));
        var clientOptions = new ArmClientOptions
        {
            Environment = new ArmEnvironment(options.Endpoint, string.IsNullOrWhiteSpace(options.Audience) ? ArmEnvironment.AzurePublicCloud.Audience : options.Audience),
        };
        clientOptions.RetryPolicy = new ArmRetryPolicy(options, logger);
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;
        if (!string.IsNullOrWhiteSpace(options.TrustedCertificateFile))
            clientOptions.Transport = new HttpClientTransport(TrustedCertificate.CreateHandler(options.TrustedCertificateFile));
        return new ArmClient(Credential(options), defaultSubscriptionId: null, clientOptions);
    }

    public static TokenCredential Credential(ArmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.StaticToken))
            return new StaticTokenCredential(options.StaticToken);
        if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId))
            return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
        return new DefaultAzureCredential();
    }
}
