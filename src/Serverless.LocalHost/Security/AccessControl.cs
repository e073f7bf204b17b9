using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Triggers;
using Serverless.Pipeline.Dashboard;

namespace Serverless.LocalHost.Security;

/// <summary>
/// Access control of LocalHost, from the one table in <see cref="AccessPolicy"/>: authentication by API key or Entra ID
/// token (<see cref="CallerAuthentication"/> decides which), one authorization policy per role, a middleware that looks
/// every request's endpoint up in the table (a route that is not there is denied), per-route request body limits, and
/// security headers on every HTML answer. No CORS middleware is added, so no cross-origin access is granted; before any
/// of it, <see cref="BrowserRequestRules"/> refuses what another site's page could make a browser send.
/// </summary>
public static class AccessControl
{
    public const string DeniedType = "urn:serverless-pipeline:access-policy";

    public static string PolicyName(AccessLevel level) => level.ToString();

    /// <summary>Why this process must not start with this configuration, in one line, or null.</summary>
    public static string? FindStartProblem(IConfiguration configuration)
    {
        var (keys, problem) = ApiKeys.Read(configuration);
        if (problem is not null) return problem;
        var (tokens, tokenProblem) = EntraIdTokens.Read(configuration);
        if (tokenProblem is not null) return tokenProblem;
        if (keys!.Configured || tokens is not null) return null;
        var exposed = ListenAddresses(configuration).FirstOrDefault(a => !IsLoopback(a));
        return exposed is null ? null
            : $"Refusing to listen on {exposed} without API keys or Entra ID: configure {ApiKeys.Section}:{{name}}:Key and :Role, " +
              $"or {EntraIdTokens.Section}:ClientId, :TenantId and :Instance, or listen on 127.0.0.1 only.";
    }

    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration configuration)
    {
        var (keys, problem) = ApiKeys.Read(configuration);
        var (tokens, tokenProblem) = EntraIdTokens.Read(configuration);
        var callers = new CallerAuthentication(keys ?? throw new InvalidOperationException(problem),
            tokenProblem is null ? tokens : throw new InvalidOperationException(tokenProblem));
        services.AddSingleton(keys);
        services.AddSingleton(callers);
        var authentication = services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        tokens?.AddTo(authentication, configuration);
        services.AddAuthorization(options =>
        {
            foreach (var level in new[] { AccessLevel.Reader, AccessLevel.Operator, AccessLevel.Admin })
                options.AddPolicy(PolicyName(level), policy => policy
                    .AddAuthenticationSchemes([.. callers.Schemes])
                    .RequireAuthenticatedUser()
                    .RequireRole(Enum.GetValues<AccessLevel>().Where(role => role >= level).Select(role => role.ToString())));
        });
        return services;
    }

    /// <summary>Adds the access-control middleware; call it before the endpoints and the dashboard's static files.</summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        var callers = app.Services.GetRequiredService<CallerAuthentication>();
        var webhookLimit = app.Services.GetRequiredService<IOptions<TriggerOptions>>().Value.MaxBodyBytes;
        var browsers = new BrowserRequestRules(callers.LocalDeveloper, app.Services.GetRequiredService<IOptions<ApprovalOptions>>().Value.PublicBaseUrl);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccessControl).FullName!);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (callers.Keys.Configured)
                log.LogInformation("Access control: API keys {Names} ({Header} header); the routes' roles come from the access policy",
                    string.Join(", ", callers.Keys.Names), ApiKeyAuthenticationHandler.Header);
            if (callers.Tokens is { } tokens)
                log.LogInformation("Access control: Entra ID bearer tokens for client {ClientId} of tenant {TenantId} from {Instance}; their app roles {Roles} are the routes' roles",
                    tokens.ClientId, tokens.TenantId, tokens.Instance, string.Join(", ", AppRoles.Names));
            if (callers.LocalDeveloper)
                log.LogWarning("No API keys ({Section}) and no Entra ID ({EntraId}) are configured: listening on loopback only, answering only loopback host names, and every caller is Admin (the local developer)",
                    ApiKeys.Section, EntraIdTokens.Section);
        });

        app.Use(async (context, next) =>
        {
            ResponseHeaders.ApplyOnStarting(context.Response);
            var row = Resolve(context, out var template);
            if (browsers.Check(context.Request) is { } refusal)
            {
                // The template, not the path: an approval link's path is its token.
                log.LogInformation("Refused {Method} {Template} for host {Host}, origin {Origin}: {Title}", context.Request.Method, template ?? "(nothing mapped)",
                    context.Request.Host.Value, context.Request.Headers.Origin.ToString(), refusal.Title);
                await WriteDenialAsync(context, refusal.Status, refusal.Title, refusal.Detail, BrowserRequestRules.RefusedType);
                return;
            }
            if (template is null)
            {
                // Nothing is mapped here and no static file lives here: the answer is 404, whoever asks.
                LimitBody(context, AccessPolicy.DefaultBodyLimit);
                await NextAsync(context, next);
                return;
            }
            if (row is { Level: AccessLevel.Anonymous })
            {
                if (await RefuseTooLargeAsync(context, row.MaxRequestBodyBytes ?? webhookLimit)) return;
                await NextAsync(context, next);
                return;
            }

            var authentication = await callers.AuthenticateAsync(context);
            if (!authentication.Succeeded)
            {
                await callers.ChallengeAsync(context);
                return;
            }
            context.User = authentication.Principal;
            if (row is null)
            {
                log.LogWarning("Denied {Method} {Template}: the route is not in the access policy", context.Request.Method, template);
                await WriteForbiddenAsync(context, $"{context.Request.Method} {template} is not in the access policy, so nobody may call it.");
                return;
            }
            var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
            if (!(await authorization.AuthorizeAsync(context.User, PolicyName(row.Level))).Succeeded)
            {
                var caller = Caller.From(context.User);
                log.LogInformation("Denied {Method} {Template} to {Caller} ({Role}): it needs {Level}",
                    context.Request.Method, row.Template, caller?.Name, caller?.Role, row.Level);
                await WriteForbiddenAsync(context, $"{context.Request.Method} {row.Template} needs the role {row.Level} or higher.");
                return;
            }
            if (await RefuseTooLargeAsync(context, row.MaxRequestBodyBytes ?? webhookLimit)) return;
            await NextAsync(context, next);
        });
        return app;
    }

    /// <summary>When <c>Security:ExposeRouteTable=true</c>, maps an Admin-only listing of every mapped route and its row in the access policy.</summary>
    public static WebApplication MapRouteTableDiagnostic(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Security:ExposeRouteTable", false)) return app;
        app.MapGet(AccessPolicy.RouteTableDiagnostic, (EndpointDataSource endpoints) => Results.Json(
            endpoints.Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                    .Select(method => new MappedRoute(method, Normalize(e.RoutePattern.RawText), e.Metadata.GetMetadata<RouteAccess>()?.Level.ToString())))
                .ToList()))
            .WithMetadata(AccessPolicy.Find(HttpMethods.Get, AccessPolicy.RouteTableDiagnostic)!);
        return app;
    }

    /// <summary>A route LocalHost maps, and its level in the access policy (null: not in the table, so denied).</summary>
    public sealed record MappedRoute(string Method, string Template, string? Level);

    internal static async Task WriteDenialAsync(HttpContext context, int status, string title, string detail, string type = DeniedType)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { type, title, status, detail }, (System.Text.Json.JsonSerializerOptions?)null,
            "application/problem+json", context.RequestAborted);
    }

    /// <summary>
    /// A body that declares more than the route's limit is refused at once with 413 (Kestrel then discards it, so the
    /// caller reads the answer); any other body is capped by Kestrel at the limit as it is read (chunked bodies included).
    /// </summary>
    private static async Task<bool> RefuseTooLargeAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            await WriteTooLargeAsync(context, limit);
            return true;
        }
        LimitBody(context, limit);
        return false;
    }

    /// <summary>Runs the rest of the pipeline; a body that turns out larger than the limit as it is read is answered with 413, not 500.</summary>
    private static Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return context.Response.WriteAsJsonAsync(new
        {
            type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
            title = "The request body is too large",
            status = StatusCodes.Status413PayloadTooLarge,
            detail = $"This route accepts at most {limit} bytes.",
        }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }

    private static async Task NextAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteTooLargeAsync(context, context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? AccessPolicy.DefaultBodyLimit);
        }
    }

    private static void LimitBody(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body) body.MaxRequestBodySize = limit;
    }

    private static Task WriteForbiddenAsync(HttpContext context, string detail) =>
        WriteDenialAsync(context, StatusCodes.Status403Forbidden, "The caller's role may not call this route", detail);

    /// <summary>The request's row in the table; <paramref name="template"/> is null when nothing at all is mapped at the path.</summary>
    private static RouteAccess? Resolve(HttpContext context, out string? template)
    {
        var method = context.Request.Method;
        if (context.GetEndpoint() is RouteEndpoint endpoint)
        {
            // Every route is mapped with its row of the access policy; one mapped without a row is denied.
            template = Normalize(endpoint.RoutePattern.RawText);
            return endpoint.Metadata.GetMetadata<RouteAccess>();
        }
        if (context.GetEndpoint() is not null)
        {
            template = context.Request.Path.Value ?? "/";
            return null;
        }
        var path = context.Request.Path;
        if (path.StartsWithSegments(DashboardRoutes.LocalPath))
        {
            template = DashboardRoutes.LocalPath + "/{**path}";
            return AccessPolicy.Find(HttpMethods.IsHead(method) ? HttpMethods.Get : method, template);
        }
        template = null;
        return null;
    }

    private static string Normalize(string? rawText) => "/" + (rawText ?? "").TrimStart('/');

    private static IEnumerable<string> ListenAddresses(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        if (urls.Count == 0)
        {
            // ASPNETCORE_HTTP_PORTS / HTTPS_PORTS (set by the .NET container images) listen on every interface.
            foreach (var ports in new[] { configuration["http_ports"], configuration["https_ports"] })
                urls.AddRange((ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }
        return urls;
    }

    private static bool IsLoopback(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))] : rest.Split(':', '/')[0];
        return BrowserRequestRules.IsLoopbackName(host);
    }
}
