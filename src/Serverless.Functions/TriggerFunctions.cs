using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Triggers;

namespace Serverless.Functions;

/// <summary>
/// The push webhooks (TriggersSurface). Anonymous to the Functions host because each carries its own credential: the
/// Event Grid webhook a shared secret in <c>?secret=</c> (<c>?code=</c> is the host's), the GitHub webhook its signature.
/// </summary>
public sealed class TriggerFunctions(IServiceProvider services) : SurfaceAdapter(services)
{
    [Function(nameof(EventGridWebhook))]
    public Task<IActionResult> EventGridWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TriggerRoutes.EventGrid)] HttpRequest request,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(EventGridWebhook), request, engine: engine);

    [Function(nameof(EventGridHandshake))]
    public Task<IActionResult> EventGridHandshake(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = TriggerRoutes.EventGrid)] HttpRequest request) =>
        Call(nameof(EventGridHandshake), request);

    [Function(nameof(GitHubWebhook))]
    public Task<IActionResult> GitHubWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TriggerRoutes.GitHub)] HttpRequest request,
        [DurableClient] DurableTaskClient engine) =>
        Call(nameof(GitHubWebhook), request, engine: engine);
}
