using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Deploy.Arm;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Hosting;

public static class PipelineServices
{
    /// <summary>Everything the pipeline needs apart from the engine: stores, stage services and HTTP handlers.</summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.UsesServiceUris || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage needs either a ConnectionString or both BlobServiceUri and TableServiceUri.")
            .ValidateOnStart();

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddAzureClients(clients =>
        {
            if (storage.UsesServiceUris)
            {
                clients.AddBlobServiceClient(storage.BlobServiceUri!);
                clients.AddTableServiceClient(storage.TableServiceUri!);
                clients.UseCredential(ManagedIdentity(storage));
            }
            else
            {
                clients.AddBlobServiceClient(storage.ConnectionString!);
                clients.AddTableServiceClient(storage.ConnectionString!);
            }
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PipelineTables>();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<EnvironmentStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunRecorder>();
        services.AddSingleton<StackStore>();
        services.AddOptions<SourceOptions>().BindConfiguration(SourceOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxFileBytes <= o.MaxCheckoutBytes, "Sources:MaxFileBytes must not be larger than Sources:MaxCheckoutBytes.")
            .ValidateOnStart();
        services.AddOptions<BuildOptions>().BindConfiguration(BuildOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SourceRepository>();
        services.AddSingleton<BicepCompiler>();
        services.AddSingleton<BuildSlots>();
        services.AddHostedService<BuildSandboxStartup>();
        services.AddSingleton<StackInspector>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<BuildService>();
        services.AddSingleton<DeployService>();
        services.AddSingleton<EnvironmentLocks>();
        services.AddSingleton<EnvironmentActivities>();
        services.AddArmDeployer();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<SupersedeFinder>();
        services.AddSingleton<StackApi>();
        services.AddSingleton<RunApi>();
        services.AddSingleton<ValidationApi>();
        services.AddSingleton<RollbackApi>();
        services.AddPipelineTriggers();
        services.AddPipelineMetrics();
        services.AddPipelineApprovals();
        return services;
    }

    private static TokenCredential ManagedIdentity(StorageOptions storage) =>
        storage.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
}
