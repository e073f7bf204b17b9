using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Serverless.Functions.Security;
using Serverless.Pipeline.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// After the ASP.NET Core integration's own middleware, which puts the request's HttpContext in the invocation.
builder.UseMiddleware<AppRoleAuthorization>();
builder.Services.AddPipeline(builder.Configuration);
// What this worker logs (its own ASP.NET Core request logs included) goes to the Functions host without secrets.
builder.Services.AddLogRedaction();
builder.Build().Run();
