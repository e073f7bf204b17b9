namespace Serverless.Pipeline.Triggers;

/// <summary>Route templates of the push webhooks below <c>/api</c>, the same in both hosts.</summary>
public static class TriggerRoutes
{
    /// <summary>Event Grid deliveries (POST) and the CloudEvents abuse-protection handshake (OPTIONS); <c>?secret=</c> required.</summary>
    public const string EventGrid = "events/eventgrid";

    /// <summary>GitHub webhooks, signed with <c>X-Hub-Signature-256</c>.</summary>
    public const string GitHub = "events/github";
}
