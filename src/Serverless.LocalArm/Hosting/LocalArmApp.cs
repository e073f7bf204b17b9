using System.Security.Cryptography.X509Certificates;
using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.Routes;
using Serverless.LocalArm.State;

namespace Serverless.LocalArm.Hosting;

/// <summary>Composes the web app: HTTPS on loopback, the middleware (journal, headers, bearer gate, faults) and the routes.</summary>
internal static class LocalArmApp
{
    public static WebApplication Build(LocalArmOptions options, X509Certificate2 certificate, FaultSwitches faults, ArmState state, RequestJournal journal)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LocalArmApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.MinimumLogLevel > LogLevel.Warning ? options.MinimumLogLevel : LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => LoopbackEndpoints.Listen(kestrel, options.Urls, certificate));
        builder.Services.AddSingleton(options).AddSingleton(faults).AddSingleton(state).AddSingleton(journal);

        var app = builder.Build();
        app.Use(journal.Middleware(options.Time));
        app.Use(ArmExceptionHandler.InvokeAsync);
        app.Use(ArmHeaders.InvokeAsync);
        app.Use(BearerTokenGate.InvokeAsync);
        app.Use(FaultMiddleware.Create(faults));
        ControlRoutes.Map(app);
        SubscriptionRoutes.Map(app);
        ResourceGroupRoutes.Map(app);
        DeploymentRoutes.Map(app);
        WhatIfRoutes.Map(app);
        app.MapFallback((HttpRequest request) => ArmErrors.Result(StatusCodes.Status404NotFound, "NotFound",
            $"LocalArm (a test double of Azure Resource Manager) does not serve {request.Method} {request.Path}."));
        return app;
    }
}
