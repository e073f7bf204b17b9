namespace Serverless.LocalArm.Http;

/// <summary>Answers a bug of the test double with a 500 in ARM's error shape, so that clients parse it like any other.</summary>
internal static class ArmExceptionHandler
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ArmExceptionHandler));
            logger.LogError(e, "LocalArm failed on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ArmErrors.Result(StatusCodes.Status500InternalServerError, "InternalServerError",
                $"LocalArm (a test double) failed: {e.GetType().Name}: {e.Message}").ExecuteAsync(context);
        }
    }
}
