using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Deploy.Arm;

// In the hosting namespace, beside AddPipeline, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class DeployServices
{
    /// <summary>Deployments through ARM, the environments' record and locks, and rollback.</summary>
    public static IServiceCollection AddPipelineDeploy(this IServiceCollection services)
    {
        services.AddSingleton<EnvironmentStore>();
        services.AddSingleton<DeployService>();
        services.AddSingleton<EnvironmentLocks>();
        services.AddSingleton<EnvironmentActivities>();
        services.AddArmDeployer();
        services.AddSingleton<RollbackApi>();
        return services;
    }
}
