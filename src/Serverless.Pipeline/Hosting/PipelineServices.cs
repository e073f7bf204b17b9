using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Hosting;

public static class PipelineServices
{
    /// <summary>Everything the pipeline needs apart from the engine: storage, then each slice's stores, stage services and handlers.</summary>
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
        services.AddPipelineStacks();
        services.AddPipelineBuild();
        services.AddPipelineDeploy();
        services.AddPipelineRuns();
        services.AddPipelineDashboard();
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
