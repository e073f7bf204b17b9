using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Where approval links point: <c>Approvals:PublicBaseUrl</c> when it is set, otherwise the address the host
/// itself answers on when it knows one (LocalHost on loopback), otherwise <see cref="ApprovalOptions.FallbackBaseUrl"/>.
/// </summary>
public sealed class ApprovalLinkOrigin(IOptions<ApprovalOptions> options, IHostOwnAddress? ownAddress = null)
{
    public string BaseUrl =>
        (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? options.Value.PublicBaseUrl
            : ownAddress?.Current ?? ApprovalOptions.FallbackBaseUrl).TrimEnd('/');
}

/// <summary>The address a host answers on once it listens, when a browser on this machine can reach it (null otherwise).</summary>
public interface IHostOwnAddress
{
    string? Current { get; }
}
