using Azure.ResourceManager;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Deploy.Arm;

public static class ArmServices
{
    /// <summary>
    /// The ARM deployer: <see cref="ArmOptions"/> (section <c>Arm</c>, validated on start), one
    /// <see cref="ArmClient"/> built from them, <see cref="ArmDeployer"/> (also as <see cref="IArmDeployer"/>)
    /// and the <see cref="HealthProbe"/> with its HTTP client and outbound policy. Needs an <c>IConfiguration</c> in the container
    /// (every host has one).
    /// </summary>
    public static IServiceCollection AddArmDeployer(this IServiceCollection services)
    {
        services.AddOptions<ArmOptions>()
            .BindConfiguration(ArmOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArmOptions>, ArmOptionsValidation>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => ArmClientFactory.Create(
            provider.GetRequiredService<IOptions<ArmOptions>>().Value,
            provider.GetService<ILoggerFactory>()?.CreateLogger<ArmDeployer>()));
        services.TryAddSingleton<ArmDeployer>();
        services.TryAddSingleton<IArmDeployer>(provider => provider.GetRequiredService<ArmDeployer>());

        services.AddHealthProbe();
        return services;
    }

    /// <summary>Reports each problem with the settings by name.</summary>
    private sealed class ArmOptionsValidation : IValidateOptions<ArmOptions>
    {
        public ValidateOptionsResult Validate(string? name, ArmOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
