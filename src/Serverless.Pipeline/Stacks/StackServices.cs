using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Stacks;

// In the hosting namespace, beside AddPipeline, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class StackServices
{
    /// <summary>Stack registrations: the store that owns the stacks tables, and their API.</summary>
    public static IServiceCollection AddPipelineStacks(this IServiceCollection services)
    {
        services.AddSingleton<StackStore>();
        services.AddSingleton<StackApi>();
        return services;
    }
}
