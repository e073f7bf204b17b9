using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Pipeline.Metrics;

// In the hosting namespace, beside AddPipeline, so that hosts call it without another using.
namespace Serverless.Pipeline.Hosting;

public static class MetricsServices
{
    /// <summary>The delivery metrics: their stores, the recorder that feeds them, the reader and the HTTP handlers.</summary>
    public static IServiceCollection AddPipelineMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReleaseStore>();
        services.AddSingleton<ChangeLedger>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<DeploymentLog>();
        services.AddSingleton<DowntimeLedger>();
        services.AddSingleton<RollupStore>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<MetricsReader>();
        services.AddSingleton<MetricsApi>();
        services.AddSingleton<IncidentApi>();
        return services;
    }
}
