using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Who is calling an approval link, as far as the request tells: the signed-in person if App Service
/// authentication is trusted here, the source address and the user agent, for the audit trail.
/// </summary>
public sealed record ApprovalCaller(ApproverIdentity? SignedIn, bool PrincipalHeaderIgnored, string? SourceAddress, string? UserAgent)
{
    private const int MaxHeaderText = 200;

    public static ApprovalCaller From(HttpRequest request, ApprovalOptions options)
    {
        var header = request.Headers[ClientPrincipal.Header].FirstOrDefault();
        var trusted = options.TrustsClientPrincipalHeader;
        var signedIn = trusted ? ClientPrincipal.Parse(header) : null;
        return new ApprovalCaller(
            signedIn,
            PrincipalHeaderIgnored: !trusted && !string.IsNullOrEmpty(header),
            SourceAddressOf(request),
            Clip(request.Headers.UserAgent.FirstOrDefault()));
    }

    /// <summary>
    /// The connection's remote address. <c>X-Forwarded-For</c> is never read here: any client can write it. Each host
    /// rewrites the remote address from it for the proxies it trusts, and only for them (LocalHost:
    /// <c>ForwardedHeaders:TrustedProxies</c>; the Functions worker: the Functions host in front of it).
    /// </summary>
    public static string? SourceAddressOf(HttpRequest request) =>
        request.HttpContext.Connection.RemoteIpAddress is { } address ? AddressRange.Normalize(address).ToString() : null;

    private static string? Clip(string? text) => text is { Length: > MaxHeaderText } ? text[..MaxHeaderText] : text;
}
