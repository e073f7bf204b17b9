using System.Text.Json;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// Reads the data of a push event, telling the two accepted shapes apart by <c>repository</c>: a string in
/// <see cref="RepositoryPushData"/>, an object in GitHub's push payload (<see cref="GitHubPushPayload"/>).
/// </summary>
public static class PushDataReader
{
    private static readonly JsonSerializerOptions OwnSchema = new(JsonSerializerDefaults.Web);

    public static RepositoryPush? Read(ReadOnlyMemory<byte> data, DateTimeOffset defaultPushedAt, Dictionary<string, string[]> errors)
    {
        JsonValueKind repository;
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors[""] = ["The push must be a JSON object."];
                return null;
            }
            repository = document.RootElement.TryGetProperty("repository", out var value) ? value.ValueKind : JsonValueKind.Undefined;
        }
        catch (JsonException e)
        {
            errors[""] = [$"The push is not JSON: {e.Message}"];
            return null;
        }

        try
        {
            switch (repository)
            {
                case JsonValueKind.String:
                    return JsonSerializer.Deserialize<RepositoryPushData>(data.Span, OwnSchema)!.ToPush(defaultPushedAt, errors);
                case JsonValueKind.Object:
                    return JsonSerializer.Deserialize<GitHubPushPayload>(data.Span, GitHubPushPayload.Json)!.ToPush(defaultPushedAt, errors);
                default:
                    errors["repository"] = ["The repository is required: a URL (this product's push schema) or an object (a GitHub push payload)."];
                    return null;
            }
        }
        catch (JsonException e)
        {
            errors[(e.Path ?? "").TrimStart('$').TrimStart('.')] = [$"The push does not match its schema: {FirstSentence(e.Message)}"];
            return null;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
