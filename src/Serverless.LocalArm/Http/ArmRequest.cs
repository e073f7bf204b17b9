using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Http;

/// <summary>Small helpers over the incoming request: body, api-version, absolute URLs.</summary>
internal static class ArmRequest
{
    public const string DefaultApiVersion = "2024-03-01";

    public static string ApiVersion(HttpRequest request) =>
        request.Query["api-version"].FirstOrDefault() is { Length: > 0 } version ? version : DefaultApiVersion;

    public static Uri Absolute(HttpRequest request, string path) =>
        new($"{request.Scheme}://{request.Host}{path}?api-version={Uri.EscapeDataString(ApiVersion(request))}");

    /// <summary>The body as a JSON object, or null with an ARM error when it is not one.</summary>
    public static async Task<(JsonObject? Body, ArmResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return node is JsonObject body
                ? (body, null)
                : (null, ArmErrors.BadRequest("InvalidRequestContent", "The request content must be a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, ArmErrors.BadRequest("InvalidRequestContent", $"The request content was invalid and could not be deserialized: {e.Message}"));
        }
    }

    /// <summary>Polling hints for long-running operations, in both forms the Azure SDK reads.</summary>
    public static Dictionary<string, string> PollHeaders(TimeSpan interval) => new()
    {
        ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(interval.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["retry-after-ms"] = ((int)interval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
