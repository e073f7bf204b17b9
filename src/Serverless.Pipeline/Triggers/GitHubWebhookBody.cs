using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The body of a GitHub webhook delivery: the JSON payload itself (content type <c>application/json</c>) or, with
/// GitHub's default content type <c>application/x-www-form-urlencoded</c>, the form field <c>payload</c>.
/// The signature covers the raw body either way.
/// </summary>
public static class GitHubWebhookBody
{
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";

    public static (ReadOnlyMemory<byte>? Json, InputProblem? Problem) Payload(byte[] body, string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        switch (mediaType)
        {
            case null or "" or "application/json":
                return body.Length == 0 ? (null, new InputProblem(StatusCodes.Status400BadRequest, "A JSON payload is required.")) : (body, null);
            case "application/x-www-form-urlencoded":
                var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
                return form.TryGetValue("payload", out var payload) && payload.FirstOrDefault() is { Length: > 0 } json
                    ? (Encoding.UTF8.GetBytes(json), null)
                    : (null, new InputProblem(StatusCodes.Status400BadRequest, "The form has no 'payload' field."));
            default:
                return (null, new InputProblem(StatusCodes.Status415UnsupportedMediaType,
                    $"The body must be application/json or application/x-www-form-urlencoded, not '{contentType}'."));
        }
    }

    public static string? Zen(ReadOnlyMemory<byte>? json) => Member(json, "zen");

    public static RepositoryPush? ReadPush(ReadOnlyMemory<byte> json, DateTimeOffset receivedAt, Dictionary<string, string[]> errors)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<GitHubPushPayload>(json.Span, GitHubPushPayload.Json);
            if (payload is null)
            {
                errors[""] = ["The payload must be a JSON object."];
                return null;
            }
            return payload.ToPush(receivedAt, errors);
        }
        catch (JsonException e)
        {
            errors[(e.Path ?? "").TrimStart('$').TrimStart('.')] = [$"The payload is not a GitHub push payload: {e.Message}"];
            return null;
        }
    }

    private static string? Member(ReadOnlyMemory<byte>? json, params string[] path)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json.Value);
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
            }
            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
