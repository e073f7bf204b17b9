using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Security;

namespace Serverless.Functions.Security;

/// <summary>
/// The Function App's side of the access policy. The Functions host has already checked the function key (every
/// route above Anonymous is <c>AuthorizationLevel.Function</c>); when App Service authentication is on and signed a
/// person or app in, this also requires the app role the route's row names (Reader, Operator, Admin), and puts the
/// identity in <c>HttpContext.User</c> so that handlers see the same <see cref="Caller"/> as in LocalHost.
/// The <c>X-MS-CLIENT-PRINCIPAL</c> header is believed only when <paramref name="trustPrincipalHeader"/> says App Service
/// set it; anywhere else a client could forge it.
/// </summary>
public static class AppRoleGate
{
    public const string AuthenticationType = "AppServiceAuthentication";

    /// <summary>Null when the call may go on; otherwise the problem to answer with.</summary>
    public static IResult? Check(RouteAccess? row, HttpContext http, bool trustPrincipalHeader)
    {
        if (trustPrincipalHeader && ClientPrincipal.Parse(http.Request.Headers[ClientPrincipal.Header].FirstOrDefault()) is { } signedIn)
            http.User = ToPrincipal(signedIn);
        if (row is null)
            return Denied(StatusCodes.Status403Forbidden, "Not in the access policy",
                $"{http.Request.Method} {http.Request.Path} is not in the access policy, so nobody may call it.");
        if (row.Level == AccessLevel.Anonymous) return null;
        if (Caller.From(http.User) is not { } caller) return null;   // a function key alone: the host has checked it
        if (AccessPolicy.Allows(caller.Role, row.Level)) return null;
        return Denied(StatusCodes.Status403Forbidden, "The identity's app role may not call this route",
            $"{row.Method} {row.Template} needs the app role {row.Level} or higher; '{caller.Name}' has {(caller.Role == AccessLevel.Anonymous ? "none of Reader, Operator, Admin" : caller.Role.ToString())}.");
    }

    /// <summary>The App Service principal as claims: every name it is known by, and its roles.</summary>
    public static ClaimsPrincipal ToPrincipal(ApproverIdentity signedIn)
    {
        var claims = signedIn.Aliases.Select(a => new Claim(ClaimTypes.Name, a))
            .Concat(signedIn.Groups.Where(g => AppRoles.Names.Contains(g, StringComparer.OrdinalIgnoreCase)).Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, signedIn.AuthType ?? AuthenticationType));
    }

    private static IResult Denied(int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status, type: "urn:serverless-pipeline:access-policy");
}
