using System.Globalization;
using System.Text.Json.Nodes;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>One ARM response: status, JSON body (null when empty or not JSON), headers.</summary>
internal sealed record ArmReply(int Status, JsonNode? Body, string RawBody, IReadOnlyDictionary<string, string> Headers)
{
    public static ArmReply From(Azure.Response response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
            headers[header.Name] = header.Value;
        var text = response.Content?.ToString() ?? "";
        return new ArmReply(response.Status, Parse(text), text, headers);
    }

    public bool IsSuccess => Status is >= 200 and < 300;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>ARM's error in the body, if any.</summary>
    public ArmError? Error => ArmError.FromBody(Body);

    /// <summary>The wait ARM asks for: <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, else <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public TimeSpan? RetryAfter(DateTimeOffset now)
    {
        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (Header(name) is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
                return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (Header("Retry-After") is not { } text)
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now ? at - now : null;
    }

    /// <summary>A short description for messages: <c>409 Conflict: AnotherOperationInProgress: ...</c>.</summary>
    public string Describe()
    {
        if (Error is { } error)
            return $"{Status} {error.Code}: {error.Message}";
        var text = RawBody.Length > 300 ? RawBody[..300] + "..." : RawBody;
        return text.Length == 0 ? $"HTTP {Status}" : $"HTTP {Status}: {text}";
    }

    private static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
