using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Runs;

// In the hosting namespace, beside AddPipeline, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class RunServices
{
    /// <summary>Runs: the store that owns the runs tables, starting runs, superseding waiting ones, and their API.</summary>
    public static IServiceCollection AddPipelineRuns(this IServiceCollection services)
    {
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunObservers>();
        services.AddSingleton<RunRecorder>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<SupersedeFinder>();
        services.AddSingleton<RunApi>();
        return services;
    }
}
