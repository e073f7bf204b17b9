using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Http;

namespace Serverless.Functions;

/// <summary>
/// The push webhooks, on the same routes as LocalHost. They are anonymous to the Functions host because each carries
/// its own credential: the Event Grid webhook a shared secret in <c>?secret=</c> (<c>?code=</c> is the host's), the
/// GitHub webhook its <c>X-Hub-Signature-256</c> signature.
/// </summary>
public sealed class TriggerFunctions(TriggerApi triggers)
{
    [Function(nameof(EventGridWebhook))]
    public Task<IActionResult> EventGridWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TriggerRoutes.EventGrid)] HttpRequest request,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(triggers.EventGridAsync(request, engine));

    [Function(nameof(EventGridHandshake))]
    public Task<IActionResult> EventGridHandshake(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = TriggerRoutes.EventGrid)] HttpRequest request) =>
        ResultAction.From(triggers.EventGridHandshakeAsync(request));

    [Function(nameof(GitHubWebhook))]
    public Task<IActionResult> GitHubWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TriggerRoutes.GitHub)] HttpRequest request,
        [DurableClient] DurableTaskClient engine) =>
        ResultAction.From(triggers.GitHubAsync(request, engine));
}
