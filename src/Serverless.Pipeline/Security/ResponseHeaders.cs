using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Security;

/// <summary>
/// The security headers of every answer, the same in both hosts: no MIME sniffing anywhere; on HTML, a strict
/// policy and no framing unless the page set its own (the approval page and the dashboard do).
/// </summary>
public static class ResponseHeaders
{
    /// <summary>The default policy of any HTML answer that does not set its own: nothing loads, nothing frames it.</summary>
    public const string HtmlContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Sets the headers when the answer starts, whatever writes it.</summary>
    public static void ApplyOnStarting(HttpResponse response) => response.OnStarting(() =>
    {
        Apply(response);
        return Task.CompletedTask;
    });

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true) return;
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy)) headers.ContentSecurityPolicy = HtmlContentSecurityPolicy;
        if (string.IsNullOrEmpty(headers.XFrameOptions)) headers.XFrameOptions = "DENY";
        if (string.IsNullOrEmpty(headers["Referrer-Policy"])) headers["Referrer-Policy"] = "no-referrer";
    }
}
