using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Hosting;

/// <summary>A handler of a declared endpoint: the same code behind both hosts.</summary>
public delegate Task<IResult> EndpointHandler(EndpointCall call);

/// <summary>
/// One HTTP endpoint of the product, declared once in its slice's surface: the name the Function App gives its
/// adapter, the method, the route below <c>/api</c>, who may call it, how large a body it takes and its handler.
/// LocalHost maps it from this declaration; the Function App's attribute adapter is checked against it by a test.
/// </summary>
public sealed record ApiEndpoint(string Name, string Method, string Route, AccessLevel Level, EndpointHandler Handle)
{
    /// <summary>The body limit; null for the push webhooks, whose one limit is the setting <c>Triggers:MaxBodyBytes</c>.</summary>
    public long? MaxRequestBodyBytes { get; init; } = AccessPolicy.DefaultBodyLimit;

    public RouteHosts Hosts { get; init; } = RouteHosts.Both;

    /// <summary>Whether the handler talks to the engine (the Function App then binds a durable client).</summary>
    public bool UsesEngine { get; init; }

    /// <summary>The name of the route's one parameter (<c>stack</c>, <c>id</c>, <c>token</c>, <c>path</c>), or null.</summary>
    public string? Parameter { get; } = ParameterOf(Route);

    /// <summary>The endpoint's row of the access policy.</summary>
    public RouteAccess Access => new(Method, AccessPolicy.ApiPrefix + Route, Level, MaxRequestBodyBytes, Hosts);

    public static ApiEndpoint Get(string name, string route, AccessLevel level, EndpointHandler handle) => new(name, HttpMethods.Get, route, level, handle);

    public static ApiEndpoint Post(string name, string route, AccessLevel level, EndpointHandler handle) => new(name, HttpMethods.Post, route, level, handle);

    public static ApiEndpoint Put(string name, string route, AccessLevel level, EndpointHandler handle) => new(name, HttpMethods.Put, route, level, handle);

    public static ApiEndpoint Patch(string name, string route, AccessLevel level, EndpointHandler handle) => new(name, HttpMethods.Patch, route, level, handle);

    public static ApiEndpoint Options(string name, string route, AccessLevel level, EndpointHandler handle) => new(name, HttpMethods.Options, route, level, handle);

    private static string? ParameterOf(string route)
    {
        var start = route.IndexOf('{', StringComparison.Ordinal);
        if (start < 0) return null;
        var end = route.IndexOf('}', start);
        if (route.IndexOf('{', end) >= 0)
            throw new ArgumentException($"The route {route} has more than one parameter; an endpoint takes at most one.", nameof(route));
        return route[(start + 1)..end].TrimStart('*').Split(':', '=', '?')[0];
    }
}
