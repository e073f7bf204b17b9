using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// Reads an Event Grid delivery: Event Grid schema (always a JSON array) or CloudEvents 1.0 in structured JSON mode,
/// one event (<c>application/cloudevents+json</c>) or a batch (<c>application/cloudevents-batch+json</c>). With
/// <c>application/json</c> each event's schema is recognised by its members (<c>specversion</c> or <c>eventType</c>).
/// A body that is not an event batch at all is a problem for the whole request; an event of a batch that is not a
/// valid event becomes an <see cref="InboundEvent"/> with its <see cref="InboundEvent.Problem"/>, so that the valid
/// events beside it are still acted on (Event Grid neither retries a 400 nor splits a batch: the whole batch would be lost).
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

        if (!System.Text.Unicode.Utf8.IsValid(body.ToMemory().Span))
            return Fail(StatusCodes.Status400BadRequest, "The body is not valid UTF-8 text.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.ToMemory().Span);
        }
        catch (JsonException e)
        {
            return Fail(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}");
        }
        List<JsonNode?> items = root switch
        {
            JsonArray array => [.. array],
            JsonObject single => [single],
            _ => [],
        };
        if (root is not (JsonArray or JsonObject)) return Fail(StatusCodes.Status400BadRequest, "The body must be an event (a JSON object) or an array of events.");
        if (items.Count == 0) return Fail(StatusCodes.Status400BadRequest, "The body holds no events.");
        if (items.Count > maxEvents)
            return Fail(StatusCodes.Status413PayloadTooLarge, $"A delivery may hold at most {maxEvents} events, not {items.Count}; set the subscription's maxEventsPerBatch to {maxEvents} or less.");
        return ([.. items.Select((item, index) => ReadEvent(item, index, cloudEvents == true))], null);
    }

    private static InboundEvent ReadEvent(JsonNode? item, int index, bool cloudEventsDeclared)
    {
        var label = $"event {index}";
        if (item is not JsonObject json) return Invalid(label, $"The event at index {index} is not a JSON object.");
        var id = json["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var text) && text.Length > 0 ? text : label;
        var isCloudEvent = json.ContainsKey("specversion");
        if (!isCloudEvent && cloudEventsDeclared)
            return Invalid(id, "The content type says CloudEvents, but the event has no 'specversion'.");
        if (!isCloudEvent && !json.ContainsKey("eventType"))
            return Invalid(id, "The event is neither an Event Grid event (no 'eventType') nor a CloudEvent (no 'specversion').");
        try
        {
            return isCloudEvent ? FromCloudEvent(json) : FromEventGridEvent(json);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return Invalid(id, $"The event is not valid in {(isCloudEvent ? "CloudEvents 1.0" : "the Event Grid schema")}: {e.Message}");
        }
    }

    private static InboundEvent FromEventGridEvent(JsonObject json)
    {
        var e = EventGridEvent.Parse(BinaryData.FromString(json.ToJsonString()));
        return new InboundEvent(e.Id, e.EventType, e.Topic ?? e.Subject, e.EventTime, e.Data,
            e.TryGetSystemEventData(out var system) && system is SubscriptionValidationEventData validation ? validation.ValidationCode : null);
    }

    /// <summary>The CloudEvents JSON format: a member whose value is null is an attribute left unset (its own example has one).</summary>
    private static InboundEvent FromCloudEvent(JsonObject json)
    {
        foreach (var unset in json.Where(m => m.Value is null && m.Key != "data").Select(m => m.Key).ToList()) json.Remove(unset);
        var e = CloudEvent.Parse(BinaryData.FromString(json.ToJsonString()), skipValidation: false)
                ?? throw new FormatException("The event is empty.");
        return new InboundEvent(e.Id, e.Type, e.Source, e.Time, e.Data,
            e.TryGetSystemEventData(out var system) && system is SubscriptionValidationEventData validation ? validation.ValidationCode : null);
    }

    private static InboundEvent Invalid(string id, string problem) => new(id, "(invalid)", null, null, null, null, problem);

    private static (IReadOnlyList<InboundEvent>?, InputProblem?) Fail(int status, string detail) => (null, new InputProblem(status, detail));
}
