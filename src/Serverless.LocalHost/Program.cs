using Serverless.LocalHost.Api;
using Serverless.LocalHost.Engine;
using Serverless.LocalHost.Security;
using Serverless.LocalHost.Startup;
using Serverless.Pipeline.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (AccessControl.FindStartProblem(builder.Configuration) is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return 3;
}
if (TrustedProxies.FindStartProblem(builder.Configuration) is { } proxyProblem)
{
    await Console.Error.WriteLineAsync(proxyProblem);
    return 3;
}
builder.Services.AddLogRedaction();
builder.Services.AddTrustedProxies(builder.Configuration);
builder.Services.AddAccessControl(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddPipeline(builder.Configuration);
builder.Services.AddSelfHostedEngine();
builder.Services.AddSingleton<Serverless.Pipeline.Approvals.IHostOwnAddress, LoopbackAddress>();
if (builder.Configuration.GetValue("Pipeline:RegisterSampleStack", true))
    builder.Services.AddHostedService<SampleStackRegistration>();

var app = builder.Build();
app.UseTrustedProxies(builder.Configuration);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAccessControl();
app.UseEphemeralApprovalKeyIfNoneConfigured();
app.MapPipelineSurface();
app.MapDashboard();
app.MapRouteTableDiagnostic();

if (await StorageCheck.FindProblemAsync(app.Services) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return 2;
}
await app.RunAsync();
return 0;
