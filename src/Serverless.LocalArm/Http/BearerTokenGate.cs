namespace Serverless.LocalArm.Http;

/// <summary>
/// Accepts any <c>Authorization: Bearer ...</c> header and rejects a request without one with
/// 401, as ARM does. The control endpoints under <c>/_localarm</c> need no token.
/// </summary>
internal static class BearerTokenGate
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (ControlPaths.IsControl(context.Request.Path) || HasBearerToken(context.Request))
        {
            await next(context);
            return;
        }
        var result = ArmErrors.Result(
            StatusCodes.Status401Unauthorized,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing or is not a bearer token.",
            new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\"" });
        await result.ExecuteAsync(context);
    }

    private static bool HasBearerToken(HttpRequest request)
    {
        var value = request.Headers.Authorization.ToString();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > "Bearer ".Length;
    }
}

internal static class ControlPaths
{
    public const string Prefix = "/_localarm";

    public static bool IsControl(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);
}
