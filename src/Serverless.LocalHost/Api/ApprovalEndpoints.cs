using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;

namespace Serverless.LocalHost.Api;

/// <summary>The approval links and trail on the same routes and handlers as the Function App.</summary>
public static class ApprovalEndpoints
{
    /// <summary>
    /// Maps the approval routes. Self-hosted mode may run without a configured signing key: then this process
    /// signs with a random key of its own (and warns once it has started), so that the demo works without a secret in the repository.
    /// </summary>
    public static IEndpointRouteBuilder MapApprovalApi(this IEndpointRouteBuilder app)
    {
        var keys = app.ServiceProvider.GetRequiredService<ApprovalKeyRing>();
        if (keys.UseEphemeralKeyIfNoneConfigured())
            app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(keys.WarnIfEphemeral);

        var api = app.MapGroup("/" + Routes.Prefix);
        api.MapGet(ApprovalRoutes.Link, (HttpRequest request, string token, ApprovalApi approvals, DurableTaskClient engine) =>
            approvals.PageAsync(request, token, engine));
        api.MapPost(ApprovalRoutes.Link, (HttpRequest request, string token, ApprovalApi approvals, DurableTaskClient engine) =>
            approvals.DecideAsync(request, token, engine)).DisableAntiforgery();
        api.MapGet(ApprovalRoutes.RunApprovals, (HttpRequest request, string id, ApprovalApi approvals) =>
            approvals.ListAsync(request, id));
        api.MapPost(ApprovalRoutes.RunApprovalLinks, (HttpRequest request, string id, ApprovalLinksApi links, DurableTaskClient engine) =>
            links.IssueAsync(request, id, engine));
        return app;
    }
}
