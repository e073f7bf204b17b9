using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.LocalServices;

namespace Serverless.LoadDriver;

/// <summary>The yardstick: a chain of <c>steps</c> empty activities, one after another.</summary>
[DurableTask(nameof(BareChainOrchestrator))]
public sealed class BareChainOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        for (var step = 0; step < input; step++) await context.CallActivityAsync<int>(nameof(NoOpActivity), step);
        return input;
    }
}

[DurableTask(nameof(NoOpActivity))]
public sealed class NoOpActivity : Microsoft.DurableTask.TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input);
}

/// <summary>
/// The self-hosted engine in this process, built exactly as LocalHost builds it (src/Serverless.LocalHost/Engine):
/// the Azure Storage orchestration service behind the Durable Task gRPC server on a loopback HTTP/2 port, and a
/// worker and client connected to it; with the same settings, on its own task hub, running only the bare chain.
/// </summary>
public sealed class BareEngine : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;

    private BareEngine(WebApplication server, IHost worker, GrpcChannel channel) => (_server, _worker, _channel) = (server, worker, channel);

    public DurableTaskClient Client => _worker.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<BareEngine> StartAsync(string connectionString, string taskHub, int partitions, CancellationToken cancellation)
    {
        // The settings of LocalHost's EngineServer with its defaults (EngineOptions).
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub,
            PartitionCount = partitions,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            MaxConcurrentTaskActivityWorkItems = 32,
            MaxConcurrentTaskOrchestrationWorkItems = 32,
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-bare",
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
        });
        await service.CreateIfNotExistsAsync();

        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        builder.Services.AddOptions<TaskHubGrpcServerOptions>();
        var server = builder.Build();
        server.MapGrpcService<TaskHubGrpcServer>();
        await server.StartAsync(cancellation);

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var workerBuilder = Host.CreateApplicationBuilder();
        workerBuilder.Logging.ClearProviders();
        workerBuilder.Services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(tasks =>
            {
                tasks.AddOrchestrator<BareChainOrchestrator>();
                tasks.AddActivity<NoOpActivity>();
            });
            worker.UseGrpc(channel);
        });
        workerBuilder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));
        var worker = workerBuilder.Build();
        await worker.StartAsync(cancellation);
        return new BareEngine(server, worker, channel);
    }

    /// <summary>Runs one chain per id, <paramref name="concurrency"/> at once, each polled as the pipeline's runs are.</summary>
    public async Task<IReadOnlyList<(string Id, TimeSpan Duration)>> RunChainsAsync(
        IReadOnlyList<string> ids, int steps, int concurrency, TimeSpan pollInterval, CancellationToken cancellation)
    {
        var outcomes = new List<(string, TimeSpan)>(ids.Count);
        var next = -1;
        var client = Client;
        var workers = Enumerable.Range(0, Math.Min(concurrency, ids.Count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Count)
            {
                var clock = Stopwatch.StartNew();
                await client.ScheduleNewOrchestrationInstanceAsync(nameof(BareChainOrchestrator), steps, new StartOrchestrationOptions(ids[i]), cancellation);
                while (true)
                {
                    var instance = await client.GetInstanceAsync(ids[i], cancellation);
                    if (instance?.RuntimeStatus is OrchestrationRuntimeStatus.Completed) break;
                    if (instance?.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
                        throw new InvalidOperationException($"The bare chain {ids[i]} ended {instance.RuntimeStatus}.");
                    await Task.Delay(pollInterval, cancellation);
                }
                lock (outcomes) outcomes.Add((ids[i], clock.Elapsed));
            }
        });
        await Task.WhenAll(workers);
        return outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _worker.StopAsync(timeout.Token);
        _worker.Dispose();
        _channel.Dispose();
        await _server.StopAsync(timeout.Token);
        await _server.DisposeAsync();
    }
}
