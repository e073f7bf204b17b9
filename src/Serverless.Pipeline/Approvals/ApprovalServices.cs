using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;

// In the namespace of PipelineServices, which calls it.
namespace Serverless.Pipeline.Hosting;

public static class ApprovalServices
{
    /// <summary>
    /// The approval gate: options (section <c>Approvals</c>, validated on start), signing keys, the store of
    /// requests, decisions and audit, the notifier, the activity service and the HTTP handlers.
    /// Needs a <c>TableServiceClient</c> and <c>StorageOptions</c> (from <c>AddPipeline</c>).
    /// </summary>
    public static IServiceCollection AddPipelineApprovals(this IServiceCollection services)
    {
        services.AddOptions<ApprovalOptions>()
            .BindConfiguration(ApprovalOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApprovalOptions>, ApprovalOptionsValidation>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(ApprovalNotifier.HttpClientName);
        services.AddSingleton<ApprovalKeyRing>();
        services.AddSingleton<ApprovalSigner>();
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<ApprovalNotifier>();
        services.AddSingleton<ApprovalLinkOrigin>();
        services.AddSingleton<ApprovalGate>();
        services.AddSingleton<ApprovalDecisions>();
        services.AddSingleton<ApprovalApi>();
        services.AddSingleton<ApprovalLinksApi>();
        return services;
    }

    /// <summary>Reports each problem with the settings by name, rather than one generic message.</summary>
    private sealed class ApprovalOptionsValidation : IValidateOptions<ApprovalOptions>
    {
        public ValidateOptionsResult Validate(string? name, ApprovalOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
