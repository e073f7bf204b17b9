using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Deploy;

public static class HealthProbeServices
{
    /// <summary>
    /// The <see cref="HealthProbe"/>, its HTTP client and the <see cref="OutboundPolicy"/> its client connects through
    /// (section <c>Outbound</c>, validated on start). Needs an <c>IConfiguration</c> in the container.
    /// </summary>
    public static IServiceCollection AddHealthProbe(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>()
            .BindConfiguration(OutboundOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidation>();
        services.TryAddSingleton<OutboundPolicy>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HealthProbe.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<OutboundPolicy>().CreateHandler());
        services.TryAddSingleton<HealthProbe>();
        return services;
    }

    private sealed class OutboundOptionsValidation : IValidateOptions<OutboundOptions>
    {
        public ValidateOptionsResult Validate(string? name, OutboundOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
