using System.Globalization;
using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Dashboard;

/// <summary>
/// The dashboard's static files (HTML, scripts, styles, the bundled chart library) as both hosts serve them: from
/// <c>wwwroot/dashboard</c> in the host's output directory, with the same security headers. Scripts live in
/// <c>.js</c> files only, so the policy allows no inline script, no inline handler and no framing.
/// </summary>
public static class DashboardAssets
{
    public const string IndexFile = "index.html";
    public const int MaxPathLength = 200;

    /// <summary>Only this origin's scripts, styles and API; no inline script; never inside a frame.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The folder the hosts serve: <c>wwwroot/dashboard</c> beside the host's assemblies, where the build copies it.</summary>
    public static string DefaultRoot { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot", "dashboard");

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json; charset=utf-8",
        [".webmanifest"] = "application/manifest+json; charset=utf-8",
        [".map"] = "application/json; charset=utf-8",
    };

    /// <summary>The content type of a file the dashboard may serve, or null for any other file.</summary>
    public static string? ContentTypeOf(string fileName) =>
        ContentTypes.TryGetValue(Path.GetExtension(fileName), out var type) ? type : null;

    /// <summary>Sets the headers every dashboard file is served with.</summary>
    public static void ApplySecurityHeaders(IHeaderDictionary headers)
    {
        headers["Content-Security-Policy"] = ContentSecurityPolicy;
        headers["X-Frame-Options"] = "DENY";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }

    /// <summary>
    /// The file at <paramref name="path"/> (relative to the dashboard's folder), or 404. The path may only name a file of an
    /// allowed type below the folder: segments of letters, digits, '.', '-' and '_', none of them '.', '..' or hidden.
    /// An empty path is the index; asked for without a trailing slash, it redirects there so that relative links resolve.
    /// </summary>
    public static IResult Serve(HttpRequest request, string? path, string? root = null)
    {
        root = Path.GetFullPath(root ?? DefaultRoot);
        path ??= "";
        if (path.Length == 0 && !(request.Path.Value ?? "").EndsWith('/'))
            return Results.Redirect($"{request.PathBase}{request.Path}/{request.QueryString}");
        if (path.Length == 0 || path.EndsWith('/')) path += IndexFile;

        if (Resolve(root, path) is not { } file) return Problems.NotFound($"There is no dashboard file '{Clip(path)}'.");
        return new DashboardFile(file, ContentTypeOf(file)!);
    }

    /// <summary>The full path of an existing, servable file below <paramref name="root"/>, or null.</summary>
    public static string? Resolve(string root, string path)
    {
        if (path.Length > MaxPathLength) return null;
        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment[0] == '.') return null;
            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return null;
            }
        }
        if (ContentTypeOf(segments[^1]) is null) return null;

        var full = Path.GetFullPath(Path.Combine([root, .. segments]));
        var inside = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(inside, StringComparison.Ordinal)) return null;
        return File.Exists(full) ? full : null;
    }

    private static string Clip(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>One file, revalidated on every use (so a new build shows at once) and answered 304 when unchanged.</summary>
    private sealed class DashboardFile(string path, string contentType) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var info = new FileInfo(path);
            var etag = $"\"{info.LastWriteTimeUtc.Ticks.ToString("x", CultureInfo.InvariantCulture)}-{info.Length.ToString("x", CultureInfo.InvariantCulture)}\"";
            var response = httpContext.Response;
            ApplySecurityHeaders(response.Headers);
            response.Headers.CacheControl = "no-cache";
            response.Headers.ETag = etag;
            if (httpContext.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType;
            response.ContentLength = info.Length;
            await response.SendFileAsync(path, httpContext.RequestAborted);
        }
    }
}
