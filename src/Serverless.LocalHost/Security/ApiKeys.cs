using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Security;

namespace Serverless.LocalHost.Security;

/// <summary>One configured API key: its name (logged), its key (never logged) and its role.</summary>
public sealed record ApiKey(string Name, string Key, AccessLevel Role);

/// <summary>
/// The API keys from <c>Security:ApiKeys:{name}:Key</c> and <c>:Role</c>. Without any (and without Entra ID), LocalHost
/// is a developer's loopback-only process and every caller is <see cref="AccessLevel.Admin"/>.
/// </summary>
public sealed class ApiKeys
{
    public const string Section = "Security:ApiKeys";
    public const int MinimumKeyLength = 16;

    private readonly (ApiKey Key, byte[] Hash)[] _keys;

    private ApiKeys(IEnumerable<ApiKey> keys) => _keys = [.. keys.Select(k => (k, Hash(k.Key)))];

    public bool Configured => _keys.Length > 0;
    public IEnumerable<string> Names => _keys.Select(k => k.Key.Name);

    /// <summary>Reads the keys, or says in one line what is wrong with them.</summary>
    public static (ApiKeys? Keys, string? Problem) Read(IConfiguration configuration)
    {
        var keys = new List<ApiKey>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var key = entry["Key"];
            if (string.IsNullOrWhiteSpace(key) || key.Trim().Length < MinimumKeyLength)
                return (null, $"API key '{entry.Key}' ({Section}:{entry.Key}:Key) must be at least {MinimumKeyLength} characters long.");
            if (!Enum.TryParse<AccessLevel>(entry["Role"], ignoreCase: true, out var role) || role == AccessLevel.Anonymous || !Enum.IsDefined(role))
                return (null, $"API key '{entry.Key}' ({Section}:{entry.Key}:Role) must have the role Reader, Operator or Admin.");
            keys.Add(new ApiKey(entry.Key, key.Trim(), role));
        }
        if (keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count() != keys.Count)
            return (null, $"Two API keys in {Section} have the same key: give each caller its own.");
        return (new ApiKeys(keys), null);
    }

    /// <summary>The key that matches, compared in constant time against every configured key (no early exit).</summary>
    public ApiKey? Match(string presented)
    {
        var hash = Hash(presented);
        ApiKey? match = null;
        foreach (var (key, keyHash) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash)) match = key;
        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>
/// Authenticates callers by the <c>X-Api-Key</c> header. The key's value is never logged. Without any credential
/// configured (<see cref="CallerAuthentication.LocalDeveloper"/>), every caller is the local developer.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys, CallerAuthentication callers)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string Challenge = $"{SchemeName} header=\"{Header}\"";
    public const string LocalDeveloper = "local-developer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (callers.LocalDeveloper)
            return Task.FromResult(Success(LocalDeveloper, AccessLevel.Admin, new Claim(Caller.LocalDeveloperClaim, "true")));
        var presented = Request.Headers[Header].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Match(presented.Trim()) is not { } key)
        {
            Logger.LogWarning("A request to {Path} from {Source} presented an unknown API key", Request.Path, Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        return Task.FromResult(Success(key.Name, key.Role));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.Append("WWW-Authenticate", Challenge);
        await AccessControl.WriteDenialAsync(Context, StatusCodes.Status401Unauthorized, "An API key is required",
            $"Send a valid API key in the {Header} header.");
    }

    private AuthenticateResult Success(string name, AccessLevel role, params Claim[] more)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role.ToString()), .. more], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
