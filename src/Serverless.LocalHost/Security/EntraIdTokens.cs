using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;
using Microsoft.Identity.Web.Resource;
using Serverless.Pipeline.Security;

namespace Serverless.LocalHost.Security;

/// <summary>
/// Entra ID access tokens (<c>Authorization: Bearer …</c>), validated by Microsoft.Identity.Web, when configuration has
/// an <c>AzureAd</c> section: <c>ClientId</c>, <c>TenantId</c> (one tenant) and <c>Instance</c>, optionally
/// <c>Audience</c>. The token's app roles (<c>roles</c>: Reader, Operator, Admin) give the caller's level.
/// <c>TrustedCertificateFile</c> is for a local stand-in of Entra ID only (tests): refused unless Instance is loopback.
/// </summary>
public sealed class EntraIdTokens
{
    public const string Section = "AzureAd";
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;
    private const string StandInClient = "entra-id-stand-in";

    /// <summary>Tenants that stand for many: another tenant's admin could grant its own users this API's app roles.</summary>
    private static readonly string[] SharedTenants = ["common", "organizations", "consumers"];

    private readonly PinnedCertificate? _standIn;

    private EntraIdTokens(string clientId, string tenantId, Uri instance, PinnedCertificate? standIn) =>
        (ClientId, TenantId, Instance, _standIn) = (clientId, tenantId, instance, standIn);

    public string ClientId { get; }
    public string TenantId { get; }
    public Uri Instance { get; }

    /// <summary>The settings, null when there is no <c>AzureAd</c> section, or what is wrong with them in one line.</summary>
    public static (EntraIdTokens? Tokens, string? Problem) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.GetChildren().Any()) return (null, null);
        if (string.IsNullOrWhiteSpace(section["ClientId"]))
            return (null, $"{Section} is configured without {Section}:ClientId: set it to the API's application (client) id, or remove the {Section} section.");
        if (!string.IsNullOrWhiteSpace(section["Authority"]))
            return (null, $"{Section}:Authority is not supported: set {Section}:Instance and {Section}:TenantId instead.");
        var tenant = section["TenantId"]?.Trim();
        if (string.IsNullOrEmpty(tenant) || SharedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase))
            return (null, $"{Section}:TenantId must name the one tenant whose app roles are trusted (its id or domain), not 'common', 'organizations' or 'consumers'.");
        if (!Uri.TryCreate(section["Instance"]?.Trim(), UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
            return (null, $"{Section}:Instance must be the identity provider's https address, e.g. https://login.microsoftonline.com/.");
        PinnedCertificate? standIn = null;
        if (section["TrustedCertificateFile"] is { Length: > 0 } pemFile)
        {
            if (!IsLoopback(instance))
                return (null, $"{Section}:TrustedCertificateFile is for a local stand-in of Entra ID only and is refused with {Section}:Instance '{instance}'; remove it.");
            (standIn, var problem) = PinnedCertificate.Read(pemFile, $"{Section}:TrustedCertificateFile");
            if (problem is not null) return (null, problem);
        }
        return (new EntraIdTokens(section["ClientId"]!.Trim(), tenant, instance, standIn), null);
    }

    /// <summary>Whether the request carries a bearer token (whatever else it carries).</summary>
    public static bool IsPresented(HttpRequest request) =>
        request.Headers.Authorization.FirstOrDefault()?.TrimStart().StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// Adds the bearer scheme with <c>AddMicrosoftIdentityWebApi</c>, reading the <c>AzureAd</c> section as the library
    /// does (so its JwtBearer options may be set there too).
    /// </summary>
    public void AddTo(AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (_standIn is not null)
        {
            // Both readers of the metadata: the JwtBearer handler (keys) and the library's issuer validator (issuer).
            authentication.Services.AddHttpClient(StandInClient).ConfigurePrimaryHttpMessageHandler(_standIn.CreateHandler);
            authentication.Services.Configure<AadIssuerValidatorOptions>(options => options.HttpClientName = StandInClient);
        }
        authentication.AddMicrosoftIdentityWebApi(
            bearer =>
            {
                section.Bind(bearer);
                if (_standIn is not null) bearer.BackchannelHttpHandler = _standIn.CreateHandler();
                // Claim types stay as the token names them (roles, preferred_username, oid); CallerOf maps them once.
                bearer.MapInboundClaims = false;
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        context.Principal = CallerOf(context.Principal!);
                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = context =>
                    {
                        Log(context.HttpContext).LogWarning("A request to {Path} from {Source} presented a bearer token that is not valid ({Reason})",
                            context.Request.Path, context.HttpContext.Connection.RemoteIpAddress, context.Exception.GetType().Name);
                        return Task.CompletedTask;
                    },
                    OnChallenge = ChallengeAsync,
                };
            },
            identity =>
            {
                section.Bind(identity);
                // The access policy decides what a token without roles may do (only Anonymous routes); the library
                // would otherwise reject such a token outright, as unauthenticated.
                identity.AllowWebApiToBeAuthorizedByACL = true;
            },
            SchemeName);
    }

    /// <summary>
    /// The caller as the access policy and <see cref="Caller.From"/> read it: the token's claims, a name
    /// (preferred_username, upn in v1.0 tokens, name, oid or the calling app's id) and the highest app role as <see cref="ClaimTypes.Role"/>
    /// spelled as the policies spell it, since the token's role values may differ in case.
    /// </summary>
    internal static ClaimsPrincipal CallerOf(ClaimsPrincipal token)
    {
        var claims = token.Claims.ToList();
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        var name = new[] { "preferred_username", "upn", "name", "oid", "azp", "appid" }
            .Select(type => claims.FirstOrDefault(c => c.Type == type && !string.IsNullOrWhiteSpace(c.Value))?.Value).FirstOrDefault(v => v is not null);
        if (name is not null) identity.AddClaim(new Claim(ClaimTypes.Name, name));
        var level = AppRoles.HighestOf(claims.Where(c => c.Type is "roles" or ClaimTypes.Role).Select(c => c.Value));
        if (level > AccessLevel.Anonymous) identity.AddClaim(new Claim(ClaimTypes.Role, level.ToString()));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>401 as problem details with the RFC 6750 challenge; the description names what failed, never the token.</summary>
    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var challenge = SchemeName;
        if (!string.IsNullOrEmpty(context.Error))
            challenge += $" error=\"{context.Error}\", error_description=\"{Unquoted(context.ErrorDescription)}\"";
        context.Response.Headers.Append("WWW-Authenticate", challenge);
        await AccessControl.WriteDenialAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
            string.IsNullOrEmpty(context.Error) ? "An Entra ID access token is required" : "The bearer token is not valid",
            string.IsNullOrEmpty(context.ErrorDescription)
                ? "Send an Entra ID access token for this API in the Authorization header (Bearer)."
                : context.ErrorDescription);
    }

    private static string Unquoted(string? text) => (text ?? "").Replace("\"", "'", StringComparison.Ordinal).Replace("\\", "/", StringComparison.Ordinal);

    private static ILogger Log(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EntraIdTokens).FullName!);

    private static bool IsLoopback(Uri uri) => uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}
