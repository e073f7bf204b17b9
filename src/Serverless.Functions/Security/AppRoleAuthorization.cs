using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Hosting;
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
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);   // the orchestrator and the activities
            return;
        }
        ResponseHeaders.ApplyOnStarting(http.Response);
        // The row of the endpoint declared under this function's name, for the method it serves; none: denied.
        var row = PipelineSurface.FindEndpoint(context.FunctionDefinition.Name) is { } endpoint
                  && HttpMethods.Equals(endpoint.Method, http.Request.Method) ? endpoint.Access : null;
        if (AppRoleGate.Check(row, http, options.Value.TrustsClientPrincipalHeader) is { } denial)
        {
            context.GetInvocationResult().Value = denial;
            return;
        }
        await next(context);
    }
}
