using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Triggers;

// In the hosting namespace, beside AddPipeline, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class TriggerServices
{
    /// <summary>The push webhooks (Event Grid and GitHub) and what they write: changes and ignored events.</summary>
    public static IServiceCollection AddPipelineTriggers(this IServiceCollection services)
    {
        services.AddOptions<TriggerOptions>()
            .BindConfiguration(TriggerOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.EventGrid.IsValidRate(), "Triggers:EventGrid:AllowedRate must be \"*\" or a positive whole number of requests per minute.")
            .ValidateOnStart();
        services.AddSingleton<IgnoredEventStore>();
        services.AddSingleton<RunStartGate>();
        services.AddSingleton<PushDispatcher>();
        services.AddSingleton<TriggerApi>();
        return services;
    }
}
