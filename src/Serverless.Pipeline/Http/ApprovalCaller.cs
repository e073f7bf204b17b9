using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Http;

/// <summary>
/// Who is calling an approval link, as far as the request tells: the signed-in person if App Service
/// authentication is trusted here, the source address (first hop of X-Forwarded-For, else the connection's
/// remote address) and the user agent, for the audit trail.
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

    public static string? SourceAddressOf(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(forwarded))
        {
            var first = forwarded.Split(',')[0].Trim();
            if (first.Length > 0) return Clip(first);
        }
        return request.HttpContext.Connection.RemoteIpAddress?.ToString();
    }

    private static string? Clip(string? text) => text is { Length: > MaxHeaderText } ? text[..MaxHeaderText] : text;
}
