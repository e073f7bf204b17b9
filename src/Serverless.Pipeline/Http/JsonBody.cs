using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Serverless.Pipeline.Http;

/// <summary>Reads a JSON request body, or says precisely why it cannot.</summary>
public static class JsonBody
{
    /// <summary>The body limit of every JSON route that does not name its own: the access policy's.</summary>
    public const int DefaultLimit = (int)Security.AccessPolicy.DefaultBodyLimit;
    public const string MediaType = "application/json";

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit = DefaultLimit) where T : class
    {
        if (!IsJson(request.ContentType)) return (null, Problems.UnsupportedMediaType(request.ContentType));
        var (body, tooLarge) = await BoundedBody.ReadAsync(request, limit, request.HttpContext.RequestAborted);
        if (tooLarge) return (null, Problems.TooLarge(limit));
        if (body!.Length == 0) return (null, Problems.BadRequest("A JSON body is required."));

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, ApiJson.Options);
            return value is null ? (null, Problems.BadRequest("A JSON object is required.")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            return (null, Problems.BadRequest($"The body is not valid JSON for this request{where}: {FirstSentence(e.Message)}"));
        }
    }

    /// <summary>
    /// Exactly application/json, with no parameter but charset=utf-8. A web page on another origin can send a body
    /// without asking first only as text/plain, a form or multipart, so a JSON route must accept nothing like them
    /// (text/plain;charset=json included) and nothing without a type.
    /// </summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)
        && type.Parameters.All(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)
                                    && HeaderUtilities.RemoveQuotes(p.Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
