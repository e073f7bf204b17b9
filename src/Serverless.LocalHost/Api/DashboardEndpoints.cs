using Microsoft.Extensions.FileProviders;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Dashboard;

namespace Serverless.LocalHost.Api;

/// <summary>
/// The dashboard: its static files at <c>/dashboard/</c> (from <c>wwwroot/dashboard</c> in the output directory, where the
/// build copies them with the bundled chart library), <c>/</c> redirecting there. The estate API it reads is declared with the others.
/// </summary>
public static class DashboardEndpoints
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var root = DashboardAssets.DefaultRoot;
        if (Directory.Exists(root))
        {
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = DashboardRoutes.LocalPath });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                RequestPath = DashboardRoutes.LocalPath,
                ContentTypeProvider = new DashboardContentTypes(),
                OnPrepareResponse = context =>
                {
                    DashboardAssets.ApplySecurityHeaders(context.Context.Response.Headers);
                    context.Context.Response.Headers.CacheControl = "no-cache";
                },
            });
        }
        else
        {
            app.Logger.LogWarning("The dashboard's files are missing from {Root}: build Serverless.LocalHost to copy them there", root);
        }

        app.MapGet("/", (HttpRequest request) => Results.Redirect($"{request.PathBase}{DashboardRoutes.LocalPath}/{request.QueryString}"))
            .WithMetadata(AccessPolicy.Find(HttpMethods.Get, "/")!);
        return app;
    }

    /// <summary>Serves the same file types as the Function App, and nothing else.</summary>
    private sealed class DashboardContentTypes : Microsoft.AspNetCore.StaticFiles.IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            contentType = DashboardAssets.ContentTypeOf(subpath) ?? "";
            return contentType.Length > 0;
        }
    }
}
