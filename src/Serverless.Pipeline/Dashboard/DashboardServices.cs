using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Dashboard;

// In the hosting namespace, beside AddPipeline, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class DashboardServices
{
    /// <summary>The estate the dashboard reads (its files need no service).</summary>
    public static IServiceCollection AddPipelineDashboard(this IServiceCollection services)
    {
        services.AddSingleton<EstateApi>();
        return services;
    }
}
