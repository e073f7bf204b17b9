using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The push webhooks: Event Grid (Event Grid schema or CloudEvents 1.0, with both validation handshakes), protected by
/// a shared secret (header <c>X-Pipeline-Secret</c> or <c>?secret=</c>), and GitHub, verified by <c>X-Hub-Signature-256</c>. Bad input is refused
/// before anything is written; an event is answered 2xx only once its runs are scheduled, and 503 if that failed.
/// </summary>
public sealed class TriggerApi(PushDispatcher dispatcher, IOptions<TriggerOptions> options, TimeProvider clock, ILogger<TriggerApi> log)
{
    public const string SecretParameter = "secret";
    public const string SecretHeader = "X-Pipeline-Secret";
    public const string EventGridSource = "eventgrid";
    public const string GitHubSource = "github";
    public const string RequestOriginHeader = "WebHook-Request-Origin";
    public const string AllowedOriginHeader = "WebHook-Allowed-Origin";
    public const string AllowedRateHeader = "WebHook-Allowed-Rate";

    /// <summary>OPTIONS: the CloudEvents 1.0 abuse-protection handshake that Event Grid makes before delivering CloudEvents.</summary>
    public Task<IResult> EventGridHandshakeAsync(HttpRequest request)
    {
        if (RefuseEventGrid(request) is { } refused) return Task.FromResult(refused);
        var origin = request.Headers[RequestOriginHeader].FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(origin))
            return Task.FromResult(Problems.BadRequest($"The {RequestOriginHeader} header is required in the CloudEvents abuse-protection handshake."));
        log.LogInformation("CloudEvents handshake granted to {Origin}", origin);
        return Task.FromResult(Results.Ok().WithHeaders(
            (AllowedOriginHeader, origin),
            (AllowedRateHeader, options.Value.EventGrid.AllowedRate),
            ("Allow", "POST, OPTIONS")));
    }

    /// <summary>POST: an Event Grid delivery of one event or a batch, or Event Grid's subscription validation.</summary>
    public async Task<IResult> EventGridAsync(HttpRequest request, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        if (RefuseEventGrid(request) is { } refused) return refused;
        var limits = options.Value;
        var (body, tooLarge) = await BoundedBody.ReadAsync(request, limits.MaxBodyBytes, cancellation);
        if (tooLarge || body is null) return Problems.TooLarge(limits.MaxBodyBytes);
        if (body.Length == 0) return Problems.BadRequest("A body of events is required.");

        var (read, problem) = EventGridReader.Read(BinaryData.FromBytes(body), request.ContentType, limits.MaxEventsPerRequest);
        if (problem is not null || read is not { } events) return TriggerResults.Problem(problem!.Status, problem.Detail);

        if (events.FirstOrDefault(e => e.ValidationCode is not null) is { } validation)
        {
            log.LogInformation("Event Grid subscription validation {EventId} answered", validation.Id);
            return Results.Json(new SubscriptionValidationAnswer(validation.ValidationCode!), ApiJson.Options);
        }

        // Every event is acted on or recorded as ignored with why; a bad event never costs the good ones of its batch.
        var now = clock.GetUtcNow();
        var triggers = events.Select(e => ToTrigger(e, now)).ToList();
        return await DispatchAsync(request, triggers, engine, cancellation);
    }

    /// <summary>POST: a GitHub webhook delivery; <c>push</c> starts runs, <c>ping</c> is answered, other events are acknowledged and ignored.</summary>
    public async Task<IResult> GitHubAsync(HttpRequest request, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var limits = options.Value;
        var (body, tooLarge) = await BoundedBody.ReadAsync(request, limits.MaxBodyBytes, cancellation);
        if (tooLarge || body is null) return Problems.TooLarge(limits.MaxBodyBytes);
        var (payload, problem) = GitHubWebhookBody.Payload(body, request.ContentType);
        if (problem is { Status: StatusCodes.Status415UnsupportedMediaType }) return TriggerResults.Problem(problem.Status, problem.Detail);

        // The secret is the one of the repository whose runs the delivery would start: the payload must name it one way only.
        var identity = GitHubRepositoryIdentity.Of(payload);
        if (identity?.Disagreement() is { } disagreement)
        {
            log.LogWarning("GitHub webhook refused: {Disagreement}", disagreement);
            return TriggerResults.Unauthorized(disagreement);
        }
        var repository = identity?.FullName;
        var secret = limits.GitHub.SecretFor(repository);
        if (secret is null)
        {
            log.LogWarning("GitHub webhook for {Repository} refused: no secret is configured", repository ?? "(no repository)");
            return TriggerResults.Unauthorized(repository is null
                ? "No GitHub webhook secret is configured for deliveries that name no repository."
                : $"No GitHub webhook secret is configured for repository '{repository}'.");
        }
        var signature = request.Headers[GitHubSignature.Header].FirstOrDefault();
        if (!GitHubSignature.IsValid(body, secret, signature))
        {
            return TriggerResults.Unauthorized(signature is null
                ? $"The {GitHubSignature.Header} header is required: give the webhook a secret."
                : $"The {GitHubSignature.Header} signature does not match the body: the webhook's secret is not the one configured for it.");
        }

        var eventName = request.Headers[GitHubWebhookBody.EventHeader].FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(eventName)) return Problems.BadRequest($"The {GitHubWebhookBody.EventHeader} header is required.");
        var delivery = request.Headers[GitHubWebhookBody.DeliveryHeader].FirstOrDefault()?.Trim() is { Length: > 0 } id
            ? id
            : Convert.ToHexStringLower(SHA256.HashData(body))[..32];
        if (problem is not null) return TriggerResults.Problem(problem.Status, problem.Detail);

        if (eventName.Equals("ping", StringComparison.OrdinalIgnoreCase))
            return Results.Json(new GitHubAnswer(eventName, delivery, $"pong: {GitHubWebhookBody.Zen(payload) ?? "the webhook is set up"}"), ApiJson.Options);
        if (!eventName.Equals("push", StringComparison.OrdinalIgnoreCase))
            return Results.Json(new GitHubAnswer(eventName, delivery, $"Only push events start runs; '{eventName}' is ignored."), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);

        var errors = new Dictionary<string, string[]>();
        var push = GitHubWebhookBody.ReadPush(payload!.Value, clock.GetUtcNow(), errors);
        if (errors.Count > 0 || push is null) return Problems.Invalid(errors);
        return await DispatchAsync(request, [new TriggerEvent(GitHubSource, delivery, "push", push)], engine, cancellation);
    }

    private static TriggerEvent ToTrigger(InboundEvent e, DateTimeOffset now)
    {
        if (e.Problem is { } problem) return new TriggerEvent(EventGridSource, e.Id, e.Type, null, problem);
        if (!RepositoryPushData.IsPushType(e.Type))
            return new TriggerEvent(EventGridSource, e.Id, e.Type, null, $"The event type '{e.Type}' is not {RepositoryPushData.EventType}.");
        if (e.Data is null) return new TriggerEvent(EventGridSource, e.Id, e.Type, null, "The push event has no data.");
        var errors = new Dictionary<string, string[]>();
        var push = PushDataReader.Read(e.Data.ToMemory(), e.Time ?? now, errors);
        return push is not null && errors.Count == 0
            ? new TriggerEvent(EventGridSource, e.Id, e.Type, push)
            : new TriggerEvent(EventGridSource, e.Id, e.Type, null,
                "The push event's data is not valid: " + string.Join(" ", errors.Select(f => $"{(f.Key.Length == 0 ? "data" : $"data.{f.Key}")}: {string.Join(" ", f.Value)}")));
    }

    private IResult? RefuseEventGrid(HttpRequest request)
    {
        var configured = options.Value.EventGrid.Secret;
        if (string.IsNullOrEmpty(configured))
        {
            log.LogWarning("Event Grid delivery refused: Triggers:EventGrid:Secret is not configured");
            return TriggerResults.Unauthorized("The Event Grid webhook has no secret configured, so it accepts nothing.");
        }
        // The header (an Event Grid delivery property) if the delivery has one, else the URL's; the header stays out of URL logs.
        var given = request.Headers[SecretHeader].FirstOrDefault() ?? request.Query[SecretParameter].FirstOrDefault();
        return SharedSecret.Matches(given, configured)
            ? null
            : TriggerResults.Unauthorized(given is null
                ? $"The delivery must carry the shared secret in the {SecretHeader} header or as ?{SecretParameter}= in the endpoint URL."
                : "The secret is not the one configured.");
    }

    private async Task<IResult> DispatchAsync(HttpRequest request, IReadOnlyList<TriggerEvent> events, DurableTaskClient engine, CancellationToken cancellation)
    {
        IReadOnlyList<EventOutcome> outcomes;
        try
        {
            outcomes = await dispatcher.DispatchAsync(events, engine, cancellation);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            log.LogError(e, "Scheduling the runs of {Count} events failed; answering 503 so that the sender delivers them again", events.Count);
            return TriggerResults.NotScheduled("Scheduling the runs failed; send the events again. Redeliveries are safe: a run is started once per stack and commit.");
        }

        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var answered = outcomes.Select(o => o with { Runs = [.. o.Runs.Select(r => r with { StatusUrl = origin + Routes.RunPath(r.Id) })] }).ToList();
        var runs = answered.SelectMany(o => o.Runs).ToList();
        var started = runs.Where(r => !r.AlreadyStarted).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var existing = runs.Where(r => r.AlreadyStarted && !started.Contains(r.Id)).Select(r => r.Id).Distinct(StringComparer.Ordinal).Count();
        var answer = new TriggerAnswer(events.Count, started.Count, existing, answered.Count(o => o.Outcome == EventOutcomeKind.Ignored), answered);
        // 202 when this delivery started runs; 200 when it started none: a redelivery, or nothing to deliver.
        return Results.Json(answer, ApiJson.Options, statusCode: started.Count > 0 ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }
}

/// <summary>The answer to Event Grid's subscription validation event.</summary>
public sealed record SubscriptionValidationAnswer(string ValidationResponse);

/// <summary>The answer to a GitHub event that starts nothing: a ping, or an event other than push.</summary>
public sealed record GitHubAnswer(string Event, string Delivery, string Message);
