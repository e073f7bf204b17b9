using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Http;

/// <summary>A JSON response with a status code and extra headers, as ARM sends them.</summary>
internal sealed class ArmResult(int status, JsonNode? body, IReadOnlyDictionary<string, string>? headers = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            response.Headers[name] = value;
        if (body is null || HttpMethods.IsHead(httpContext.Request.Method))
            return;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(body.ToJsonString(ArmJson.Options), httpContext.RequestAborted);
    }

    public static ArmResult Ok(JsonNode body) => new(StatusCodes.Status200OK, body);
}
