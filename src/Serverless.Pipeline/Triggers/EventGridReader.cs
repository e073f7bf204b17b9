using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// Reads an Event Grid delivery: Event Grid schema (always a JSON array) or CloudEvents 1.0 in structured JSON mode,
/// one event (<c>application/cloudevents+json</c>) or a batch (<c>application/cloudevents-batch+json</c>). With
/// <c>application/json</c> the schema is recognised by the events' members (<c>specversion</c> or <c>eventType</c>).
/// </summary>
public static class EventGridReader
{
    public const string CloudEventMediaType = "application/cloudevents+json";
    public const string CloudEventBatchMediaType = "application/cloudevents-batch+json";

    public static (IReadOnlyList<InboundEvent>? Events, InputProblem? Problem) Read(BinaryData body, string? contentType, int maxEvents)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        bool? cloudEvents = mediaType switch
        {
            CloudEventMediaType or CloudEventBatchMediaType => true,
            null or "" or "application/json" or "text/json" => null,
            _ => false,
        };
        if (cloudEvents == false)
            return Fail(StatusCodes.Status415UnsupportedMediaType,
                $"The body must be application/json, {CloudEventMediaType} or {CloudEventBatchMediaType}, not '{contentType}'.");

        int count;
        bool looksLikeCloudEvents;
        try
        {
            using var document = JsonDocument.Parse(body.ToMemory());
            var root = document.RootElement;
            var events = root.ValueKind switch
            {
                JsonValueKind.Array => [.. root.EnumerateArray()],
                JsonValueKind.Object => new List<JsonElement> { root },
                _ => [],
            };
            if (root.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object) || events.Any(e => e.ValueKind != JsonValueKind.Object))
                return Fail(StatusCodes.Status400BadRequest, "The body must be an event (a JSON object) or an array of events.");
            if (events.Count == 0) return Fail(StatusCodes.Status400BadRequest, "The body holds no events.");
            count = events.Count;
            looksLikeCloudEvents = events[0].TryGetProperty("specversion", out _);
            if (!looksLikeCloudEvents && !events[0].TryGetProperty("eventType", out _))
                return Fail(StatusCodes.Status400BadRequest, "The events are neither Event Grid events (no 'eventType') nor CloudEvents (no 'specversion').");
        }
        catch (JsonException e)
        {
            return Fail(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}");
        }
        if (count > maxEvents)
            return Fail(StatusCodes.Status413PayloadTooLarge, $"A delivery may hold at most {maxEvents} events, not {count}; set the subscription's maxEventsPerBatch to {maxEvents} or less.");
        if (cloudEvents == true && !looksLikeCloudEvents)
            return Fail(StatusCodes.Status400BadRequest, $"The content type is {mediaType}, but the events are not CloudEvents (no 'specversion').");

        try
        {
            return (looksLikeCloudEvents ? FromCloudEvents(body) : FromEventGridEvents(body), null);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            var schema = looksLikeCloudEvents ? "CloudEvents 1.0" : "the Event Grid schema";
            return Fail(StatusCodes.Status400BadRequest, $"The events are not valid in {schema}: {e.Message}");
        }
    }

    private static List<InboundEvent> FromEventGridEvents(BinaryData body) =>
        [.. EventGridEvent.ParseMany(body).Select(e => new InboundEvent(
            e.Id, e.EventType, e.Topic ?? e.Subject, e.EventTime, e.Data,
            e.TryGetSystemEventData(out var system) && system is SubscriptionValidationEventData validation ? validation.ValidationCode : null))];

    private static List<InboundEvent> FromCloudEvents(BinaryData body) =>
        [.. CloudEvent.ParseMany(body, skipValidation: false).Select(e => new InboundEvent(
            e.Id, e.Type, e.Source, e.Time, e.Data,
            e.TryGetSystemEventData(out var system) && system is SubscriptionValidationEventData validation ? validation.ValidationCode : null))];

    private static (IReadOnlyList<InboundEvent>?, InputProblem?) Fail(int status, string detail) => (null, new InputProblem(status, detail));
}
