using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The push webhooks. They are anonymous to the hosts because each carries its own credential: the Event Grid webhook
/// a shared secret, the GitHub webhook its <c>X-Hub-Signature-256</c> signature. Their one body limit is the setting
/// <c>Triggers:MaxBodyBytes</c>, which the handlers apply as well.
/// </summary>
public static class TriggersSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Post("EventGridWebhook", TriggerRoutes.EventGrid, AccessLevel.Anonymous, call => call.Service<TriggerApi>().EventGridAsync(call.Request, call.Engine))
            with { UsesEngine = true, MaxRequestBodyBytes = null },
        ApiEndpoint.Options("EventGridHandshake", TriggerRoutes.EventGrid, AccessLevel.Anonymous, call => call.Service<TriggerApi>().EventGridHandshakeAsync(call.Request)),
        ApiEndpoint.Post("GitHubWebhook", TriggerRoutes.GitHub, AccessLevel.Anonymous, call => call.Service<TriggerApi>().GitHubAsync(call.Request, call.Engine))
            with { UsesEngine = true, MaxRequestBodyBytes = null },
    ];
}
