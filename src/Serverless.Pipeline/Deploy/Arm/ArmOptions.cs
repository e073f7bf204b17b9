using System.Net;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// How the deployer reaches Azure Resource Manager (section <c>Arm</c>). In Azure: the public
/// endpoint and a managed identity; nothing else needs setting. Two settings exist only for the
/// local ARM test double (Serverless.LocalArm) and are refused unless <see cref="Endpoint"/> is a
/// loopback address: <see cref="TrustedCertificateFile"/> and <see cref="StaticToken"/>. They must
/// never be set in a production configuration.
/// </summary>
public sealed class ArmOptions
{
    public const string Section = "Arm";

    public const string PublicCloudEndpoint = "https://management.azure.com/";

    /// <summary>The ARM endpoint. Default: the public cloud; the demo and tests point it at LocalArm (<c>https://127.0.0.1:PORT/</c>).</summary>
    public Uri Endpoint { get; set; } = new(PublicCloudEndpoint);

    /// <summary>The token audience; null means the public cloud's (<c>https://management.azure.com</c>). Set it for sovereign clouds.</summary>
    public string? Audience { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty: <c>DefaultAzureCredential</c> (the system-assigned identity in Azure).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// TEST DOUBLE ONLY. A PEM file holding the certificate of the local ARM stand-in (LocalArm writes it
    /// with <c>--CertificateFile</c>). When set, the HTTP transport trusts exactly that certificate and no
    /// other (no certificate store, no chain). Never set it in production: refused unless
    /// <see cref="Endpoint"/> is a loopback address.
    /// </summary>
    public string? TrustedCertificateFile { get; set; }

    /// <summary>
    /// TEST DOUBLE ONLY. A fixed bearer token sent instead of a managed-identity token; LocalArm accepts
    /// any. Never set it in production: refused unless <see cref="Endpoint"/> is a loopback address.
    /// </summary>
    public string? StaticToken { get; set; }

    /// <summary>The api-version of the Microsoft.Resources calls (resource groups, deployments, what-if).</summary>
    public string ApiVersion { get; set; } = "2024-03-01";

    /// <summary>The shortest wait between two polls of a long-running operation; a longer Retry-After from ARM wins.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one call of the deployer (deploy, what-if, delete) may take in all, polling included.</summary>
    public TimeSpan DeploymentTimeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How long one HTTP request may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Attempts per request (Azure.Core's retry policy, the only retry layer for ARM requests) when ARM answers 429,
    /// 5xx, a transient 409, or the network fails (1 = no retry). With the default delays, the 7 waits between
    /// 8 attempts double from 2 s to the 60 s cap: 161–194 s in all (docs/deployments.md).
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first backoff delay; it doubles with each retry, up to <see cref="MaxRetryDelay"/>. A longer Retry-After wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest backoff delay chosen without ARM asking (a longer Retry-After from ARM is honoured, within <see cref="DeploymentTimeout"/>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when a setting meant only for the local test double is set.</summary>
    public bool UsesTestDoubleSettings => !string.IsNullOrWhiteSpace(TrustedCertificateFile) || !string.IsNullOrWhiteSpace(StaticToken);

    /// <summary>Every problem with these settings; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Endpoint is not { IsAbsoluteUri: true } || Endpoint.Scheme != Uri.UriSchemeHttps)
            problems.Add($"Arm:Endpoint '{Endpoint}' must be an absolute https URL (the Azure SDK sends bearer tokens over HTTPS only).");
        else if (UsesTestDoubleSettings && !IsLoopback(Endpoint))
            problems.Add($"Arm:TrustedCertificateFile and Arm:StaticToken are for the local ARM test double only and are refused with Arm:Endpoint '{Endpoint}'; remove them (production uses a managed identity and the public certificate chain).");
        if (!string.IsNullOrWhiteSpace(Audience) && !Uri.TryCreate(Audience, UriKind.Absolute, out _))
            problems.Add($"Arm:Audience '{Audience}' is not an absolute URI.");
        if (string.IsNullOrWhiteSpace(ApiVersion))
            problems.Add("Arm:ApiVersion is empty.");
        if (PollInterval <= TimeSpan.Zero)
            problems.Add("Arm:PollInterval must be positive.");
        if (DeploymentTimeout <= TimeSpan.Zero)
            problems.Add("Arm:DeploymentTimeout must be positive.");
        if (RequestTimeout <= TimeSpan.Zero)
            problems.Add("Arm:RequestTimeout must be positive.");
        if (MaxAttempts is < 1 or > 20)
            problems.Add("Arm:MaxAttempts must be from 1 to 20.");
        if (RetryDelay < TimeSpan.Zero || MaxRetryDelay < RetryDelay)
            problems.Add("Arm:RetryDelay must not be negative and Arm:MaxRetryDelay not shorter than it.");
        return problems;
    }

    /// <summary>The endpoint with a trailing slash, so that relative paths keep any path base.</summary>
    internal Uri BaseEndpoint => Endpoint.AbsoluteUri.EndsWith('/') ? Endpoint : new Uri(Endpoint.AbsoluteUri + "/");

    internal static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
