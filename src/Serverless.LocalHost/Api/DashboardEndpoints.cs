using Microsoft.Extensions.FileProviders;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.LocalHost.Api;

/// <summary>
/// The dashboard: its static files at <c>/dashboard/</c> (from <c>wwwroot/dashboard</c> in the output directory, where the
/// build copies them with the bundled chart library), <c>/</c> redirecting there, and the estate API it reads beside the others.
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

        app.MapGet("/", (HttpRequest request) => Results.Redirect($"{request.PathBase}{DashboardRoutes.LocalPath}/{request.QueryString}"));
        app.MapGroup("/" + Routes.Prefix).MapGet(DashboardRoutes.Estate,
            (HttpRequest request, StackStore stacks, EnvironmentStore environments, RunStore runs, TimeProvider clock) =>
                new EstateApi(stacks, environments, runs, clock).GetAsync(request));
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
