using Serverless.LocalHost.Api;
using Serverless.LocalHost.Engine;
using Serverless.LocalHost.Startup;
using Serverless.Pipeline.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProblemDetails();
builder.Services.AddPipeline(builder.Configuration);
builder.Services.AddSelfHostedEngine();
if (builder.Configuration.GetValue("Pipeline:RegisterSampleStack", true))
    builder.Services.AddHostedService<SampleStackRegistration>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapPipelineApi();
app.MapTriggerApi();
app.MapMetricsApi();
app.MapApprovalApi();
app.MapDashboard();

if (await StorageCheck.FindProblemAsync(app.Services) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return 2;
}
await app.RunAsync();
return 0;
