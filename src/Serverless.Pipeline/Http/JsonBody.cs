using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Http;

/// <summary>Reads a JSON request body, or says precisely why it cannot.</summary>
public static class JsonBody
{
    /// <summary>The body limit of every JSON route that does not name its own: the access policy's.</summary>
    public const int DefaultLimit = (int)Security.AccessPolicy.DefaultBodyLimit;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit = DefaultLimit) where T : class
    {
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.UnsupportedMediaType(type));
        if (request.ContentLength > limit) return (null, Problems.TooLarge(limit));

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) return (null, Problems.TooLarge(limit));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, Problems.BadRequest("A JSON body is required."));

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ApiJson.Options);
            return value is null ? (null, Problems.BadRequest("A JSON object is required.")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            return (null, Problems.BadRequest($"The body is not valid JSON for this request{where}: {FirstSentence(e.Message)}"));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
