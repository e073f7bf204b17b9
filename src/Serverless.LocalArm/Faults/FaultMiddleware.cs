using Serverless.LocalArm.Http;

namespace Serverless.LocalArm.Faults;

/// <summary>Answers an ARM request with a due request fault (429, 500, 409) before it reaches the routes.</summary>
internal static class FaultMiddleware
{
    public static Func<HttpContext, RequestDelegate, Task> Create(FaultSwitches faults) => async (context, next) =>
    {
        var request = context.Request;
        if (ControlPaths.IsControl(request.Path)
            || faults.TakeRequestFault(request.Method, request.Path + request.QueryString) is not { } fault)
        {
            await next(context);
            return;
        }
        var result = fault.Kind switch
        {
            FaultKind.Throttle => ArmErrors.Result(StatusCodes.Status429TooManyRequests, "TooManyRequests",
                fault.Message ?? $"Number of requests exceeded the limit (LocalArm fault). Retry after {fault.RetryAfterSeconds} seconds.",
                new Dictionary<string, string> { [fault.RetryAfterHeader] = RetryAfterValue(fault) }),
            FaultKind.ServerError => ArmErrors.Result(StatusCodes.Status500InternalServerError, "InternalServerError",
                fault.Message ?? "Encountered internal server error (LocalArm fault). Please try again later."),
            _ => ArmErrors.Result(StatusCodes.Status409Conflict, "Conflict",
                fault.Message ?? "The request conflicts with another operation in progress (LocalArm fault)."),
        };
        await result.ExecuteAsync(context);
    };

    private static string RetryAfterValue(FaultRule fault) =>
        (string.Equals(fault.RetryAfterHeader, "Retry-After", StringComparison.OrdinalIgnoreCase) ? fault.RetryAfterSeconds : fault.RetryAfterSeconds * 1000)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
}
