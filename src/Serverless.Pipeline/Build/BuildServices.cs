using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Build;

// In the hosting namespace, beside AddPipeline, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class BuildServices
{
    /// <summary>The build stage: checkouts, the Bicep compiler in its sandbox, inspection, artifacts and logs, and validation.</summary>
    public static IServiceCollection AddPipelineBuild(this IServiceCollection services)
    {
        services.AddOptions<SourceOptions>().BindConfiguration(SourceOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxFileBytes <= o.MaxCheckoutBytes, "Sources:MaxFileBytes must not be larger than Sources:MaxCheckoutBytes.")
            .ValidateOnStart();
        services.AddOptions<BuildOptions>().BindConfiguration(BuildOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<SourceRepository>();
        services.AddSingleton<BicepCompiler>();
        services.AddSingleton<BuildSlots>();
        services.AddHostedService<BuildSandboxStartup>();
        services.AddSingleton<StackInspector>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<BuildService>();
        services.AddSingleton<ValidationApi>();
        return services;
    }
}
