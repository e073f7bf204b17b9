using System.Net;

namespace Serverless.LocalHost.Security;

/// <summary>
/// What a web page in the caller's browser may not make LocalHost do, checked before any credential:
/// <list type="bullet">
/// <item>Without credentials (the local developer, where every caller is Admin), answer only requests addressed to a
/// loopback name: a page on another site that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) sends its own
/// name in <c>Host</c>, and is refused with 421.</item>
/// <item>In every mode, change nothing for another origin: a request with an unsafe method whose <c>Sec-Fetch-Site</c>
/// is not <c>same-origin</c> or <c>none</c>, or, without that header, whose <c>Origin</c> is not LocalHost's own (the
/// request's, or <c>Approvals:PublicBaseUrl</c>'s behind a proxy), is refused with 403. Clients that are not browsers
/// send neither header: the webhooks' senders, the CLI tools and the tests are not affected, so no route is exempt.</item>
/// </list>
/// </summary>
public sealed class BrowserRequestRules(bool localDeveloper, string? publicBaseUrl)
{
    public const string RefusedType = "urn:serverless-pipeline:browser-request";
    public const string FetchSiteHeader = "Sec-Fetch-Site";

    private readonly Uri? _publicOrigin = Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var url) ? url : null;

    /// <summary>A refusal of the request, or null when it may go on.</summary>
    public Refusal? Check(HttpRequest request)
    {
        if (localDeveloper && !IsLoopbackName(request.Host.Host))
            return new Refusal(StatusCodes.Status421MisdirectedRequest, "This host answers only loopback names",
                $"Without API keys or Entra ID, LocalHost answers only requests to localhost, 127.0.0.1 or [::1], not to '{request.Host.Host}'. " +
                "Configure credentials to serve it under another name.");
        if (IsSafe(request.Method)) return null;

        // The browser's own word decides where it has one: a same-origin form POST from a no-referrer page (the
        // approval page) says Origin: null. Browsers too old for Sec-Fetch-Site are judged by Origin.
        var site = request.Headers[FetchSiteHeader].ToString();
        if (site.Length > 0)
            return site is "same-origin" or "none" ? null : CrossOrigin(request, $"the browser says it comes from a {site} page ({FetchSiteHeader})");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(origin, request))
            return CrossOrigin(request, $"it comes from the origin '{origin}'");
        return null;
    }

    /// <summary>localhost, or a loopback address (127.0.0.0/8, ::1), with or without IPv6 brackets.</summary>
    public static bool IsLoopbackName(string host)
    {
        var name = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    private bool IsOwnOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var url)) return false; // "null" too: a sandboxed or opaque origin.
        return (Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var own) && SameOrigin(url, own))
               || (_publicOrigin is not null && SameOrigin(url, _publicOrigin));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static Refusal CrossOrigin(HttpRequest request, string why) =>
        new(StatusCodes.Status403Forbidden, "A request from another site may not change anything",
            $"This {request.Method} request is refused because {why}: only LocalHost's own pages may make it.");

    public sealed record Refusal(int Status, string Title, string Detail);
}
