using Microsoft.AspNetCore.HttpOverrides;
using Serverless.Pipeline.Security;

namespace Serverless.LocalHost.Startup;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> LocalHost believes (setting <c>ForwardedHeaders:TrustedProxies</c>:
/// addresses or CIDR ranges). None by default: then the header is ignored, and the source address of a request (the
/// approvals' audit trail) is the connection's. With proxies, ASP.NET Core's forwarded-headers middleware takes the
/// client's address from the header, walking back only through trusted proxies.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "ForwardedHeaders:TrustedProxies";

    /// <summary>The settings problem that stops LocalHost from starting, or null.</summary>
    public static string? FindStartProblem(IConfiguration configuration) =>
        Entries(configuration).FirstOrDefault(entry => !AddressRange.TryParse(entry, out _)) is { } bad
            ? $"{Setting}: '{bad}' is not an IP address or a CIDR range (host bits zero)."
            : null;

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var ranges = Entries(configuration).Select(entry => AddressRange.TryParse(entry, out var range) ? range.Value : default).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Only the client's address: the Host and scheme stay the connection's.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var range in ranges) options.KnownIPNetworks.Add(range);
            // A chain of trusted proxies is walked back to the first address that is not one of them.
            options.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// Believes X-Forwarded-For from the trusted proxies, if any. The middleware is not used without them: with empty
    /// lists it would believe every caller.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, IConfiguration configuration) =>
        Entries(configuration).Length > 0 ? app.UseForwardedHeaders() : app;

    private static string[] Entries(IConfiguration configuration) =>
        configuration.GetSection(Setting).Get<string[]>()?.Where(entry => !string.IsNullOrWhiteSpace(entry)).ToArray() ?? [];
}
