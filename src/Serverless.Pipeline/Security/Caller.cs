using System.Security.Claims;

namespace Serverless.Pipeline.Security;

/// <summary>
/// Who calls the API, as the host authenticated them (an API key, an Entra ID token, App Service authentication):
/// the names they are known by, matched against a stack's restrictions, and their highest role.
/// Both hosts put the authenticated caller in <c>HttpContext.User</c>; the handlers read it through <see cref="From"/>.
/// </summary>
public sealed record Caller(string Name, IReadOnlyList<string> Aliases, AccessLevel Role)
{
    /// <summary>
    /// The claim LocalHost gives every caller when it runs with no credential configured (a developer's loopback-only
    /// process): such a caller is not anybody in particular, so an approval it gives names the person it types, unverified.
    /// </summary>
    public const string LocalDeveloperClaim = "urn:serverless-pipeline:local-developer";

    private static readonly string[] GroupClaims = ["groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"];

    /// <summary>The groups the identity provider says the caller is in (Entra ID's <c>groups</c> claim), matched against approver groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>See <see cref="LocalDeveloperClaim"/>.</summary>
    public bool IsLocalDeveloper { get; init; }

    private static readonly string[] NameClaims =
    [
        ClaimTypes.Name, "name", "preferred_username", "upn", ClaimTypes.Upn, "email", ClaimTypes.Email,
        "oid", "http://schemas.microsoft.com/identity/claims/objectidentifier", "appid", "azp",
    ];

    /// <summary>The authenticated caller, or null when the request carries no authenticated identity.</summary>
    public static Caller? From(ClaimsPrincipal? user)
    {
        if (user?.Identities.FirstOrDefault(i => i.IsAuthenticated) is not { } identity) return null;
        var aliases = new List<string>();
        if (!string.IsNullOrWhiteSpace(identity.Name)) aliases.Add(identity.Name.Trim());
        aliases.AddRange(NameClaims.SelectMany(type => identity.FindAll(type)).Select(c => c.Value.Trim()).Where(v => v.Length > 0));
        aliases = [.. aliases.Distinct(StringComparer.OrdinalIgnoreCase)];
        if (aliases.Count == 0) return null;
        var roles = identity.FindAll(identity.RoleClaimType).Concat(identity.FindAll(ClaimTypes.Role)).Concat(identity.FindAll("roles")).Select(c => c.Value);
        return new Caller(aliases[0], aliases, AppRoles.HighestOf(roles))
        {
            Groups = [.. GroupClaims.SelectMany(type => identity.FindAll(type)).Select(c => c.Value.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)],
            IsLocalDeveloper = identity.HasClaim(c => c.Type == LocalDeveloperClaim),
        };
    }

    /// <summary>Whether any name of this caller is in <paramref name="allowed"/> (case-insensitive).</summary>
    public bool IsAnyOf(IEnumerable<string> allowed) => allowed.Any(a => Aliases.Contains(a.Trim(), StringComparer.OrdinalIgnoreCase));

    /// <summary>The caller as an approver: verified, since the host authenticated them.</summary>
    public Approvals.ApproverIdentity AsApprover(string authType) => new(Name, Verified: true, Aliases, Groups, authType);
}

/// <summary>
/// The app roles an identity provider grants (Entra ID app roles, App Service authentication's role claims): their
/// values are the names of <see cref="AccessLevel"/> — <c>Reader</c>, <c>Operator</c>, <c>Admin</c>.
/// </summary>
public static class AppRoles
{
    public static IReadOnlyList<string> Names { get; } = [nameof(AccessLevel.Reader), nameof(AccessLevel.Operator), nameof(AccessLevel.Admin)];

    /// <summary>The highest level the role values grant; <see cref="AccessLevel.Anonymous"/> when none is a known role.</summary>
    public static AccessLevel HighestOf(IEnumerable<string> roles)
    {
        var highest = AccessLevel.Anonymous;
        foreach (var role in roles)
        {
            if (Names.Contains(role.Trim(), StringComparer.OrdinalIgnoreCase)
                && Enum.Parse<AccessLevel>(role.Trim(), ignoreCase: true) is var level && level > highest)
                highest = level;
        }
        return highest;
    }
}
