using System.Text;
using System.Text.Json;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Who decides. <see cref="Verified"/>: the name comes from App Service authentication; otherwise the
/// person typed it. <see cref="Aliases"/> are every name they are known by (display name, user name,
/// e-mail), matched against the allowed approvers and the change's author.
/// </summary>
public sealed record ApproverIdentity(string Name, bool Verified, IReadOnlyList<string> Aliases, IReadOnlyList<string> Groups, string? AuthType = null)
{
    public const int MaxNameLength = 200;

    public static ApproverIdentity Typed(string name) => new(name.Trim(), false, [name.Trim()], []);

    /// <summary>A stable key for "the same person", usable in table keys: a hash of the lower-cased name.</summary>
    public string Key => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Name.ToLowerInvariant())))[..32];
}

/// <summary>
/// Reads the <c>X-MS-CLIENT-PRINCIPAL</c> header that App Service authentication (Easy Auth) adds:
/// base64 JSON <c>{"auth_typ": "...", "name_typ": "...", "role_typ": "...", "claims": [{"typ": "...", "val": "..."}]}</c>.
/// </summary>
public static class ClientPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";
    private const int MaxHeaderLength = 32 * 1024;

    private const string WsName = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    private const string WsEmail = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    private const string WsUpn = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    private const string WsRole = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const string WsGroups = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups";

    /// <summary>The person the header names, or null when it is missing, unreadable or names nobody.</summary>
    public static ApproverIdentity? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxHeaderLength) return null;
        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(header.Trim()));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var authType = Text(root, "auth_typ");
            var nameType = Text(root, "name_typ");
            var roleType = Text(root, "role_typ");
            var claims = new List<(string Type, string Value)>();
            if (root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var claim in list.EnumerateArray())
                {
                    if (claim.ValueKind != JsonValueKind.Object) continue;
                    var (type, value) = (Text(claim, "typ"), Text(claim, "val"));
                    if (type is not null && !string.IsNullOrWhiteSpace(value)) claims.Add((type, value.Trim()));
                }
            }

            string[] nameTypes = ["name", "preferred_username", .. nameType is null ? Array.Empty<string>() : [nameType], WsName, "email", WsEmail, "upn", WsUpn];
            var aliases = nameTypes
                .SelectMany(t => claims.Where(c => string.Equals(c.Type, t, StringComparison.OrdinalIgnoreCase)).Select(c => c.Value))
                .Where(v => v.Length <= ApproverIdentity.MaxNameLength)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (aliases.Count == 0) return null;

            string[] groupTypes = ["groups", "roles", "role", WsRole, WsGroups, .. roleType is null ? Array.Empty<string>() : [roleType]];
            var groups = claims
                .Where(c => groupTypes.Contains(c.Type, StringComparer.OrdinalIgnoreCase))
                .Select(c => c.Value)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            return new ApproverIdentity(aliases[0], true, aliases, groups, authType);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Builds a header value, for tests and tools.</summary>
    public static string Encode(string authType, IEnumerable<(string Type, string Value)> claims) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = authType,
            claims = claims.Select(c => new { typ = c.Type, val = c.Value }).ToArray(),
        }));

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
