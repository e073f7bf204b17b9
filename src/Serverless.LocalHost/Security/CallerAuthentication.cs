using Microsoft.AspNetCore.Authentication;

namespace Serverless.LocalHost.Security;

/// <summary>
/// The one place that decides which credential authenticates a request. With Entra ID configured, a request that
/// carries <c>Authorization: Bearer …</c> is judged by its token alone (an <c>X-Api-Key</c> beside it is ignored, so a
/// bad token is never rescued by a key); any other request by its API key. With Entra ID and no API keys, every
/// request needs a token. Only with neither configured is the caller the local developer (Admin, loopback only).
/// </summary>
public sealed class CallerAuthentication(ApiKeys keys, EntraIdTokens? tokens)
{
    public ApiKeys Keys => keys;
    public EntraIdTokens? Tokens => tokens;

    /// <summary>No credential is configured: a developer's loopback-only process, where every caller is Admin.</summary>
    public bool LocalDeveloper => !keys.Configured && tokens is null;

    public IReadOnlyList<string> Schemes => tokens is null
        ? [ApiKeyAuthenticationHandler.SchemeName]
        : keys.Configured ? [EntraIdTokens.SchemeName, ApiKeyAuthenticationHandler.SchemeName] : [EntraIdTokens.SchemeName];

    public string SchemeOf(HttpRequest request) =>
        tokens is not null && (!keys.Configured || EntraIdTokens.IsPresented(request)) ? EntraIdTokens.SchemeName : ApiKeyAuthenticationHandler.SchemeName;

    public Task<AuthenticateResult> AuthenticateAsync(HttpContext context) => context.AuthenticateAsync(SchemeOf(context.Request));

    /// <summary>401 from the scheme that judged the request, offering the other configured credential too.</summary>
    public Task ChallengeAsync(HttpContext context)
    {
        var scheme = SchemeOf(context.Request);
        foreach (var other in Schemes.Where(s => s != scheme))
            context.Response.Headers.Append("WWW-Authenticate", other == EntraIdTokens.SchemeName ? EntraIdTokens.SchemeName : ApiKeyAuthenticationHandler.Challenge);
        return context.ChallengeAsync(scheme);
    }
}
