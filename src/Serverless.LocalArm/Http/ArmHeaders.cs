namespace Serverless.LocalArm.Http;

/// <summary>Adds the request-id headers ARM sends with every response.</summary>
internal static class ArmHeaders
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var requestId = Guid.NewGuid().ToString();
        var headers = context.Response.Headers;
        headers["x-ms-request-id"] = requestId;
        headers["x-ms-correlation-request-id"] = context.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? requestId;
        if (context.Request.Headers["x-ms-client-request-id"].FirstOrDefault() is { } clientRequestId)
            headers["x-ms-client-request-id"] = clientRequestId;
        return next(context);
    }
}
