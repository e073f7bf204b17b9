using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Storage;

namespace Serverless.LocalHost.Engine;

/// <summary>
/// The Durable Task engine of the self-hosted mode: the Azure Storage orchestration service behind
/// the Durable Task gRPC server, on its own loopback HTTP/2 endpoint. The worker and client of this
/// process connect to it; another LocalHost process on the same task hub runs its own server and
/// shares the partitions through the storage leases.
/// </summary>
public sealed class EngineServer(IOptions<EngineOptions> engine, IOptions<StorageOptions> storage, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    public Uri Address { get; } = new($"http://127.0.0.1:{ResolvePort(engine.Value.GrpcPort)}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var service = new AzureStorageOrchestrationService(Settings());
        await service.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, Address.Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        builder.Services.AddOptions<TaskHubGrpcServerOptions>();
        _server = builder.Build();
        _server.MapGrpcService<TaskHubGrpcServer>();
        await _server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
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

    private static int ResolvePort(int configured)
    {
        if (configured != 0) return configured;
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
