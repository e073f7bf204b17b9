using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Storage;

namespace Serverless.LocalHost.Engine;

/// <summary>
/// The Durable Task engine of the self-hosted mode: the Azure Storage orchestration service behind
/// the Durable Task gRPC server, on its own HTTP/2 endpoint: a private Unix domain socket
/// (<see cref="EngineSocket"/>), since the server authenticates nobody. The worker and client of this
/// process connect to it; another LocalHost process on the same task hub runs its own server and
/// shares the partitions through the storage leases.
/// </summary>
public sealed class EngineServer(IOptions<EngineOptions> engine, IOptions<StorageOptions> storage, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    public EngineSocket Socket { get; } = EngineSocket.Create();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var service = new AzureStorageOrchestrationService(Settings());
        await service.CreateIfNotExistsAsync();

        // No defaults: the process's configuration (Kestrel:Endpoints, URLs) is the HTTP API's and must not open ports here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.ListenUnixSocket(Socket.Path, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        builder.Services.AddOptions<TaskHubGrpcServerOptions>();
        _server = builder.Build();
        _server.MapGrpcService<TaskHubGrpcServer>();
        await _server.StartAsync(cancellationToken);
        Socket.RestrictToOwner();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync(cancellationToken);
        Socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Socket.Dispose();
    }

    private AzureStorageOrchestrationServiceSettings Settings()
    {
        var options = engine.Value;
        var account = storage.Value;
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHub,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            LoggerFactory = loggers,
            StorageAccountClientProvider = account.UsesServiceUris && account.QueueServiceUri is not null
                ? new StorageAccountClientProvider(account.BlobServiceUri!, account.QueueServiceUri, account.TableServiceUri!, new Azure.Identity.DefaultAzureCredential())
                : new StorageAccountClientProvider(account.ConnectionString!),
        };
    }
}
