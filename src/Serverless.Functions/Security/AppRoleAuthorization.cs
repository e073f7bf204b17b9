using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Security;

namespace Serverless.Functions.Security;

/// <summary>
/// Runs <see cref="AppRoleGate"/> before every HTTP-triggered function (a denial is the invocation's result), and
/// gives every HTTP answer the same security headers as LocalHost's.
/// </summary>
public sealed class AppRoleAuthorization(IOptions<ApprovalOptions> options) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var name = context.FunctionDefinition.Name;
        if (!HttpFunctionRoutes.OfThisApp.IsHttpFunction(name) || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        ResponseHeaders.ApplyOnStarting(http.Response);
        var row = HttpFunctionRoutes.OfThisApp.Find(name, http.Request.Method);
        if (AppRoleGate.Check(row, http, options.Value.TrustsClientPrincipalHeader) is { } denial)
        {
            context.GetInvocationResult().Value = denial;
            return;
        }
        await next(context);
    }
}
