using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Http;

/// <summary>
/// A server-rendered HTML answer with strict headers: no script at all, the one inline style allowed by its hash,
/// forms only to this origin, no framing, no caching, and no Referer (the page's URL is a credential).
/// </summary>
public sealed class HtmlPage(string html, int statusCode) : IResult
{
    public const string Style =
        "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}" +
        "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}" +
        "th{width:11rem;color:#555;font-weight:600}pre{white-space:pre-wrap;margin:0;font-family:inherit}" +
        "label{display:block;margin-top:1rem;font-weight:600}input,textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}" +
        "button{margin-top:1rem;padding:.6rem 1.4rem;font:inherit;font-weight:600;border:0;border-radius:.3rem;color:#fff;background:#0b6e35}" +
        "button.reject{background:#a4262c}.notice{padding:.8rem;background:#fff4ce;border-left:4px solid #d29200}" +
        ".ok{padding:.8rem;background:#dff6dd;border-left:4px solid #107c10}.refused{padding:.8rem;background:#fde7e9;border-left:4px solid #a4262c}" +
        ".muted{color:#666;font-size:.9rem}";

    private static readonly string StyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{StyleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public string Html { get; } = html;
    public int StatusCode { get; } = statusCode;

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole document around an already-encoded body.</summary>
    public static string Document(string encodedTitle, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
        "<meta name=\"robots\" content=\"noindex,nofollow\"><meta name=\"referrer\" content=\"no-referrer\">" +
        $"<title>{encodedTitle}</title><style>{Style}</style></head><body>{body}</body></html>";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["X-Frame-Options"] = "DENY";
        await response.WriteAsync(Html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
